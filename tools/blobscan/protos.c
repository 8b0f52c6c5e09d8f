/* Prototypes of functions blobs commonly import, with glibc's and
 * libusb-0.1's exact types, so `--stubs` writes declarations that compile
 * against the real headers too (the test checks that).  Also the names
 * blobscan files under libc when the export table lacks them. */
#include <stdlib.h>
#include <string.h>

#include "blobscan.h"

#define F(cls, name, decl, ret) { name, CL_##cls, decl, ret }
#define O(cls, name, decl) { name, CL_##cls, decl, NULL }

static const struct bs_proto protos[] = {
	/* string.h */
	F(LIBC, "memcpy", "void *memcpy(void *dest, const void *src, size_t n)", "return dest;"),
	F(LIBC, "memmove", "void *memmove(void *dest, const void *src, size_t n)", "return dest;"),
	F(LIBC, "memset", "void *memset(void *s, int c, size_t n)", "return s;"),
	F(LIBC, "memcmp", "int memcmp(const void *a, const void *b, size_t n)", "return 0;"),
	F(LIBC, "memchr", "void *memchr(const void *s, int c, size_t n)", "return 0;"),
	F(LIBC, "strlen", "size_t strlen(const char *s)", "return 0;"),
	F(LIBC, "strnlen", "size_t strnlen(const char *s, size_t maxlen)", "return 0;"),
	F(LIBC, "strcpy", "char *strcpy(char *dest, const char *src)", "return dest;"),
	F(LIBC, "strncpy", "char *strncpy(char *dest, const char *src, size_t n)", "return dest;"),
	F(LIBC, "strcat", "char *strcat(char *dest, const char *src)", "return dest;"),
	F(LIBC, "strncat", "char *strncat(char *dest, const char *src, size_t n)", "return dest;"),
	F(LIBC, "strcmp", "int strcmp(const char *a, const char *b)", "return 0;"),
	F(LIBC, "strncmp", "int strncmp(const char *a, const char *b, size_t n)", "return 0;"),
	F(LIBC, "strcasecmp", "int strcasecmp(const char *a, const char *b)", "return 0;"),
	F(LIBC, "strncasecmp", "int strncasecmp(const char *a, const char *b, size_t n)", "return 0;"),
	F(LIBC, "strchr", "char *strchr(const char *s, int c)", "return 0;"),
	F(LIBC, "strrchr", "char *strrchr(const char *s, int c)", "return 0;"),
	F(LIBC, "strstr", "char *strstr(const char *haystack, const char *needle)", "return 0;"),
	F(LIBC, "strdup", "char *strdup(const char *s)", "return 0;"),
	F(LIBC, "strspn", "size_t strspn(const char *s, const char *accept)", "return 0;"),
	F(LIBC, "strcspn", "size_t strcspn(const char *s, const char *reject)", "return 0;"),
	F(LIBC, "strerror", "char *strerror(int errnum)", "return 0;"),
	/* stdlib.h */
	F(LIBC, "malloc", "void *malloc(size_t size)", "return 0;"),
	F(LIBC, "calloc", "void *calloc(size_t nmemb, size_t size)", "return 0;"),
	F(LIBC, "realloc", "void *realloc(void *ptr, size_t size)", "return 0;"),
	F(LIBC, "free", "void free(void *ptr)", ""),
	F(LIBC, "abort", "void abort(void)", "for (;;) ;"),
	F(LIBC, "exit", "void exit(int status)", "for (;;) ;"),
	F(LIBC, "atoi", "int atoi(const char *s)", "return 0;"),
	F(LIBC, "atol", "long atol(const char *s)", "return 0;"),
	F(LIBC, "strtol", "long strtol(const char *s, char **end, int base)", "return 0;"),
	F(LIBC, "strtoul", "unsigned long strtoul(const char *s, char **end, int base)", "return 0;"),
	F(LIBC, "strtoll", "long long strtoll(const char *s, char **end, int base)", "return 0;"),
	F(LIBC, "strtoull", "unsigned long long strtoull(const char *s, char **end, int base)", "return 0;"),
	F(LIBC, "qsort", "void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *))", ""),
	F(LIBC, "rand", "int rand(void)", "return 0;"),
	F(LIBC, "srand", "void srand(unsigned int seed)", ""),
	F(LIBC, "getenv", "char *getenv(const char *name)", "return 0;"),
	/* stdio.h */
	F(LIBC, "printf", "int printf(const char *fmt, ...)", "return 0;"),
	F(LIBC, "fprintf", "int fprintf(FILE *stream, const char *fmt, ...)", "return 0;"),
	F(LIBC, "sprintf", "int sprintf(char *str, const char *fmt, ...)", "return 0;"),
	F(LIBC, "snprintf", "int snprintf(char *str, size_t size, const char *fmt, ...)", "return 0;"),
	F(LIBC, "vsnprintf", "int vsnprintf(char *str, size_t size, const char *fmt, va_list ap)", "return 0;"),
	F(LIBC, "vsprintf", "int vsprintf(char *str, const char *fmt, va_list ap)", "return 0;"),
	F(LIBC, "vfprintf", "int vfprintf(FILE *stream, const char *fmt, va_list ap)", "return 0;"),
	F(LIBC, "fopen", "FILE *fopen(const char *path, const char *mode)", "return 0;"),
	F(LIBC, "fclose", "int fclose(FILE *stream)", "return -1;"),
	F(LIBC, "fread", "size_t fread(void *ptr, size_t size, size_t nmemb, FILE *stream)", "return 0;"),
	F(LIBC, "fgets", "char *fgets(char *s, int size, FILE *stream)", "return 0;"),
	F(LIBC, "fputc", "int fputc(int c, FILE *stream)", "return c;"),
	F(LIBC, "ferror", "int ferror(FILE *stream)", "return 0;"),
	F(LIBC, "sscanf", "int sscanf(const char *str, const char *fmt, ...)", "return 0;"),
	F(LIBC, "puts", "int puts(const char *s)", "return 0;"),
	F(LIBC, "putchar", "int putchar(int c)", "return c;"),
	F(LIBC, "fputs", "int fputs(const char *s, FILE *stream)", "return 0;"),
	F(LIBC, "fwrite", "size_t fwrite(const void *ptr, size_t size, size_t nmemb, FILE *stream)", "return 0;"),
	F(LIBC, "fflush", "int fflush(FILE *stream)", "return 0;"),
	F(LIBC, "perror", "void perror(const char *s)", ""),
	O(LIBC, "stderr", "FILE *stderr"),
	O(LIBC, "stdout", "FILE *stdout"),
	O(LIBC, "stdin", "FILE *stdin"),
	/* time.h, unistd.h */
	F(LIBC, "time", "time_t time(time_t *tloc)", "return 0;"),
	F(LIBC, "clock_gettime", "int clock_gettime(clockid_t clockid, struct timespec *tp)", "return -1;"),
	F(LIBC, "gettimeofday", "int gettimeofday(struct timeval *tv, void *tz)", "return -1;"),
	F(LIBC, "sleep", "unsigned int sleep(unsigned int seconds)", "return 0;"),
	F(LIBC, "usleep", "int usleep(useconds_t usec)", "return 0;"),
	F(LIBC, "nanosleep", "int nanosleep(const struct timespec *req, struct timespec *rem)", "return 0;"),
	F(LIBC, "open", "int open(const char *path, int flags, ...)", "return -1;"),
	F(LIBC, "close", "int close(int fd)", "return -1;"),
	F(LIBC, "read", "ssize_t read(int fd, void *buf, size_t count)", "return -1;"),
	F(LIBC, "write", "ssize_t write(int fd, const void *buf, size_t count)", "return -1;"),
	F(LIBC, "lseek", "off_t lseek(int fd, off_t offset, int whence)", "return -1;"),
	F(LIBC, "lseek64", "off64_t lseek64(int fd, off64_t offset, int whence)", "return -1;"),
	F(LIBC, "getpid", "pid_t getpid(void)", "return 1;"),
	/* glibc internals that headers turn calls into */
	F(LIBC, "__errno_location", "int *__errno_location(void)", "static int e; return &e;"),
	F(LIBC, "__ctype_b_loc", "const unsigned short **__ctype_b_loc(void)", "return 0;"),
	F(LIBC, "__ctype_tolower_loc", "const int **__ctype_tolower_loc(void)", "return 0;"),
	F(LIBC, "__ctype_toupper_loc", "const int **__ctype_toupper_loc(void)", "return 0;"),
	F(LIBC, "__assert_fail", "void __assert_fail(const char *assertion, const char *file, unsigned int line, const char *function)", "for (;;) ;"),
	F(LIBC, "__cxa_atexit", "int __cxa_atexit(void (*func)(void *), void *arg, void *dso_handle)", "return 0;"),
	F(LIBC, "__cxa_finalize", "void __cxa_finalize(void *dso_handle)", ""),
	/* fortify */
	F(FORTIFY, "__memcpy_chk", "void *__memcpy_chk(void *dest, const void *src, size_t n, size_t destlen)", "return dest;"),
	F(FORTIFY, "__memmove_chk", "void *__memmove_chk(void *dest, const void *src, size_t n, size_t destlen)", "return dest;"),
	F(FORTIFY, "__memset_chk", "void *__memset_chk(void *s, int c, size_t n, size_t destlen)", "return s;"),
	F(FORTIFY, "__strcpy_chk", "char *__strcpy_chk(char *dest, const char *src, size_t destlen)", "return dest;"),
	F(FORTIFY, "__strncpy_chk", "char *__strncpy_chk(char *dest, const char *src, size_t n, size_t destlen)", "return dest;"),
	F(FORTIFY, "__strcat_chk", "char *__strcat_chk(char *dest, const char *src, size_t destlen)", "return dest;"),
	F(FORTIFY, "__strncat_chk", "char *__strncat_chk(char *dest, const char *src, size_t n, size_t destlen)", "return dest;"),
	F(FORTIFY, "__stpcpy_chk", "char *__stpcpy_chk(char *dest, const char *src, size_t destlen)", "return dest;"),
	F(FORTIFY, "__sprintf_chk", "int __sprintf_chk(char *str, int flag, size_t strlen, const char *fmt, ...)", "return 0;"),
	F(FORTIFY, "__snprintf_chk", "int __snprintf_chk(char *str, size_t maxlen, int flag, size_t strlen, const char *fmt, ...)", "return 0;"),
	F(FORTIFY, "__vsprintf_chk", "int __vsprintf_chk(char *str, int flag, size_t strlen, const char *fmt, va_list ap)", "return 0;"),
	F(FORTIFY, "__vsnprintf_chk", "int __vsnprintf_chk(char *str, size_t maxlen, int flag, size_t strlen, const char *fmt, va_list ap)", "return 0;"),
	F(FORTIFY, "__printf_chk", "int __printf_chk(int flag, const char *fmt, ...)", "return 0;"),
	F(FORTIFY, "__fprintf_chk", "int __fprintf_chk(FILE *stream, int flag, const char *fmt, ...)", "return 0;"),
	F(FORTIFY, "__vfprintf_chk", "int __vfprintf_chk(FILE *stream, int flag, const char *fmt, va_list ap)", "return 0;"),
	/* pthread.h */
	F(PTHREAD, "pthread_mutex_init", "int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr)", "return 0;"),
	F(PTHREAD, "pthread_mutex_destroy", "int pthread_mutex_destroy(pthread_mutex_t *mutex)", "return 0;"),
	F(PTHREAD, "pthread_mutex_lock", "int pthread_mutex_lock(pthread_mutex_t *mutex)", "return 0;"),
	F(PTHREAD, "pthread_mutex_trylock", "int pthread_mutex_trylock(pthread_mutex_t *mutex)", "return 0;"),
	F(PTHREAD, "pthread_mutex_unlock", "int pthread_mutex_unlock(pthread_mutex_t *mutex)", "return 0;"),
	F(PTHREAD, "pthread_mutexattr_init", "int pthread_mutexattr_init(pthread_mutexattr_t *attr)", "return 0;"),
	F(PTHREAD, "pthread_mutexattr_settype", "int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int kind)", "return 0;"),
	F(PTHREAD, "pthread_mutexattr_destroy", "int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)", "return 0;"),
	F(PTHREAD, "pthread_cond_init", "int pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr)", "return 0;"),
	F(PTHREAD, "pthread_cond_destroy", "int pthread_cond_destroy(pthread_cond_t *cond)", "return 0;"),
	F(PTHREAD, "pthread_cond_wait", "int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)", "return 0;"),
	F(PTHREAD, "pthread_cond_signal", "int pthread_cond_signal(pthread_cond_t *cond)", "return 0;"),
	F(PTHREAD, "pthread_cond_broadcast", "int pthread_cond_broadcast(pthread_cond_t *cond)", "return 0;"),
	F(PTHREAD, "pthread_create", "int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg)", "return -1;"),
	F(PTHREAD, "pthread_join", "int pthread_join(pthread_t thread, void **retval)", "return -1;"),
	F(PTHREAD, "pthread_self", "pthread_t pthread_self(void)", "return 0;"),
	F(PTHREAD, "pthread_once", "int pthread_once(pthread_once_t *once, void (*init)(void))", "return 0;"),
	F(PTHREAD, "pthread_key_create", "int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))", "return -1;"),
	F(PTHREAD, "pthread_getspecific", "void *pthread_getspecific(pthread_key_t key)", "return 0;"),
	F(PTHREAD, "pthread_setspecific", "int pthread_setspecific(pthread_key_t key, const void *value)", "return -1;"),
	/* usb.h (libusb-0.1) */
	F(LIBUSB, "usb_init", "void usb_init(void)", ""),
	F(LIBUSB, "usb_set_debug", "void usb_set_debug(int level)", ""),
	F(LIBUSB, "usb_find_busses", "int usb_find_busses(void)", "return 0;"),
	F(LIBUSB, "usb_find_devices", "int usb_find_devices(void)", "return 0;"),
	F(LIBUSB, "usb_get_busses", "struct usb_bus *usb_get_busses(void)", "return 0;"),
	F(LIBUSB, "usb_device", "struct usb_device *usb_device(usb_dev_handle *dev)", "return 0;"),
	F(LIBUSB, "usb_open", "usb_dev_handle *usb_open(struct usb_device *dev)", "return 0;"),
	F(LIBUSB, "usb_close", "int usb_close(usb_dev_handle *dev)", "return 0;"),
	F(LIBUSB, "usb_get_string", "int usb_get_string(usb_dev_handle *dev, int index, int langid, char *buf, size_t buflen)", "return -1;"),
	F(LIBUSB, "usb_get_string_simple", "int usb_get_string_simple(usb_dev_handle *dev, int index, char *buf, size_t buflen)", "return -1;"),
	F(LIBUSB, "usb_get_descriptor", "int usb_get_descriptor(usb_dev_handle *udev, unsigned char type, unsigned char index, void *buf, int size)", "return -1;"),
	F(LIBUSB, "usb_get_descriptor_by_endpoint", "int usb_get_descriptor_by_endpoint(usb_dev_handle *udev, int ep, unsigned char type, unsigned char index, void *buf, int size)", "return -1;"),
	F(LIBUSB, "usb_bulk_write", "int usb_bulk_write(usb_dev_handle *dev, int ep, const char *bytes, int size, int timeout)", "return -1;"),
	F(LIBUSB, "usb_bulk_read", "int usb_bulk_read(usb_dev_handle *dev, int ep, char *bytes, int size, int timeout)", "return -1;"),
	F(LIBUSB, "usb_interrupt_write", "int usb_interrupt_write(usb_dev_handle *dev, int ep, const char *bytes, int size, int timeout)", "return -1;"),
	F(LIBUSB, "usb_interrupt_read", "int usb_interrupt_read(usb_dev_handle *dev, int ep, char *bytes, int size, int timeout)", "return -1;"),
	F(LIBUSB, "usb_control_msg", "int usb_control_msg(usb_dev_handle *dev, int requesttype, int request, int value, int index, char *bytes, int size, int timeout)", "return -1;"),
	F(LIBUSB, "usb_set_configuration", "int usb_set_configuration(usb_dev_handle *dev, int configuration)", "return -1;"),
	F(LIBUSB, "usb_claim_interface", "int usb_claim_interface(usb_dev_handle *dev, int interface)", "return -1;"),
	F(LIBUSB, "usb_release_interface", "int usb_release_interface(usb_dev_handle *dev, int interface)", "return -1;"),
	F(LIBUSB, "usb_set_altinterface", "int usb_set_altinterface(usb_dev_handle *dev, int alternate)", "return -1;"),
	F(LIBUSB, "usb_resetep", "int usb_resetep(usb_dev_handle *dev, unsigned int ep)", "return -1;"),
	F(LIBUSB, "usb_clear_halt", "int usb_clear_halt(usb_dev_handle *dev, unsigned int ep)", "return -1;"),
	F(LIBUSB, "usb_reset", "int usb_reset(usb_dev_handle *dev)", "return -1;"),
	F(LIBUSB, "usb_get_driver_np", "int usb_get_driver_np(usb_dev_handle *dev, int interface, char *name, unsigned int namelen)", "return -1;"),
	F(LIBUSB, "usb_detach_kernel_driver_np", "int usb_detach_kernel_driver_np(usb_dev_handle *dev, int interface)", "return -1;"),
	F(LIBUSB, "usb_strerror", "char *usb_strerror(void)", "return 0;"),
	O(LIBUSB, "usb_busses", "struct usb_bus *usb_busses"),
	/* stack protector */
	F(SSP, "__stack_chk_fail", "void __stack_chk_fail(void)", "for (;;) ;"),
	O(SSP, "__stack_chk_guard", "unsigned long __stack_chk_guard"),
};

static int
cmp_proto(const void *a, const void *b)
{
	return strcmp(((const struct bs_proto *)a)->name, ((const struct bs_proto *)b)->name);
}

const struct bs_proto *
bs_proto_find(const char *name)
{
	static struct bs_proto sorted[sizeof(protos) / sizeof(protos[0])];
	static bool ready;
	struct bs_proto key = { .name = name };

	if (!ready) {
		memcpy(sorted, protos, sizeof(protos));
		qsort(sorted, sizeof(protos) / sizeof(protos[0]), sizeof(protos[0]), cmp_proto);
		ready = true;
	}
	return bsearch(&key, sorted, sizeof(sorted) / sizeof(sorted[0]), sizeof(sorted[0]),
		       cmp_proto);
}
