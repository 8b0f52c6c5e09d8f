#ifndef CORE_ERRNO_H
#define CORE_ERRNO_H

/* Linux's values: blobs compiled against glibc compare against these. */
#define EPERM		1
#define ENOENT		2
#define EIO		5
#define E2BIG		7
#define EBADF		9
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EISDIR		21
#define EINVAL		22
#define ENOSPC		28
#define ESPIPE		29
#define ERANGE		34
#define EDEADLK		35
#define ENOSYS		38
#define ENOTSUP		95
#define EOVERFLOW	75
#define EPROTO		71
#define ENOEXEC		8
#define EPIPE		32
#define ETIMEDOUT	110
#define ECONNREFUSED	111
#define ECANCELED	125

const char *errno_name(int err);
/* glibc's text for err (libc's strerror, which the core links too). */
char *strerror(int err);

#endif
