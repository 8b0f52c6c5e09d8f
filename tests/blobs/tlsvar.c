/* A TLS variable another object reaches across the namespace. */
__thread int tls_shared = 1234;
