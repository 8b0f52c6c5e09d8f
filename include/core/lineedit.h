#ifndef CORE_LINEEDIT_H
#define CORE_LINEEDIT_H

#include <core/types.h>

/* Read a line with editing and history on a terminal.  Returns its length,
 * or -1 at end of input (>= size: characters did not fit; refuse it).  The terminal is in raw mode only while reading. */
int lineedit_read(const char *prompt, char *buf, size_t size);
/* Read a line without echo or prompt (scripts, pipes).  A line that does
 * not fit is read to its end and its full length returned (>= size): the
 * caller refuses it rather than run its prefix. */
int lineedit_read_plain(char *buf, size_t size);

#endif
