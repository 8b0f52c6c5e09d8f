#ifndef CORE_ERRNO_H
#define CORE_ERRNO_H

/* Linux's values: blobs compiled against glibc compare against these, and
 * the hosted platform's raw system calls return them negated.  The one
 * definition: the core, libc/ and platform/ all use it. */
#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
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
#define ENOTDIR		20
#define EISDIR		21
#define EINVAL		22
#define EMFILE		24
#define ENOTTY		25
#define EFBIG		27
#define ENOSPC		28
#define ESPIPE		29
#define EROFS		30
#define EDOM		33
#define ERANGE		34
#define EDEADLK		35
#define ENAMETOOLONG	36
#define ENOSYS		38
#define ENOTSUP		95
#define EOVERFLOW	75
#define ENODATA		61
#define EPROTO		71
#define EILSEQ		84
#define ENOEXEC		8
#define EPIPE		32
#define ETIMEDOUT	110
#define ECONNREFUSED	111
#define EINPROGRESS	115
#define EDQUOT		122
#define ECANCELED	125

const char *errno_name(int err);
/* glibc's text for err (libc's strerror, which the core links too). */
char *strerror(int err);

#endif
