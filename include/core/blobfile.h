#ifndef CORE_BLOBFILE_H
#define CORE_BLOBFILE_H

#include <core/types.h>

/* The blobs' read-only file namespace (libc/vfs*.c) as the platforms'
 * command lines reach it: "--file HOST[=BLOBPATH]" (bare metal: a module's
 * name for HOST) becomes the shell command `blob file add' that does it.
 * BLOBPATH starts at the last "=/", so HOST may itself contain '='. */
void blob_file_command(const char *spec, char *cmd, size_t size);

#endif
