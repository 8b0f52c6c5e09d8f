/* Line editing for dbgsh on a terminal: cursor movement, kill, history and
 * command-name completion, with VT100 sequences only. */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/lineedit.h>
#include <core/platform.h>
#include <core/sched.h>
#include <core/time.h>
#include <core/string.h>

#define HISTORY 64
#define LINE_MAX 1024

static char history[HISTORY][LINE_MAX];
static unsigned hist_count;	/* total lines ever added */

struct edit {
	const char *prompt;
	char *buf;
	size_t size, len, pos;
	size_t dropped;		/* characters that did not fit */
};

static void
emit(const char *s)
{
	console_write(s, strlen(s));
}

static void
redraw(struct edit *e)
{
	char seq[16];

	emit("\r");
	emit(e->prompt);
	console_write(e->buf, e->len);
	emit("\x1b[K");
	if (e->len > e->pos) {
		snprintf(seq, sizeof(seq), "\x1b[%zuD", e->len - e->pos);
		emit(seq);
	}
}

static void
set_line(struct edit *e, const char *s)
{
	e->len = e->pos = MIN(strlen(s), e->size - 1);
	memcpy(e->buf, s, e->len);
}

static void
insert(struct edit *e, char c)
{
	if (e->len + 1 >= e->size) {
		e->dropped++;
		return;
	}
	memmove(e->buf + e->pos + 1, e->buf + e->pos, e->len - e->pos);
	e->buf[e->pos++] = c;
	e->len++;
}

static void
delete_range(struct edit *e, size_t from, size_t to)
{
	memmove(e->buf + from, e->buf + to, e->len - to);
	e->len -= to - from;
	e->pos = from;
}

/* Complete the first word against the command registry. */
static void
complete(struct edit *e)
{
	const struct dbgsh_command *match = NULL;
	size_t nmatch = 0;

	if (memchr(e->buf, ' ', e->pos))
		return;
	for (size_t i = 0; i < dbgsh_command_count(); i++) {
		const struct dbgsh_command *c = dbgsh_command_at(i);

		if (!strncmp(c->name, e->buf, e->pos)) {
			if (!match || strcmp(match->name, c->name))
				nmatch++;
			match = c;
		}
	}
	if (nmatch == 1) {
		size_t n = strcspn(match->name, " ");

		while (e->pos < n)
			insert(e, match->name[e->pos]);
		insert(e, ' ');
	} else if (nmatch > 1) {
		emit("\r\n");
		for (size_t i = 0; i < dbgsh_command_count(); i++)
			if (!strncmp(dbgsh_command_at(i)->name, e->buf, e->pos)) {
				emit(dbgsh_command_at(i)->name);
				emit("  ");
			}
		emit("\r\n");
	}
}

static void
history_add(const char *line)
{
	if (!*line)
		return;
	if (hist_count && !strcmp(history[(hist_count - 1) % HISTORY], line))
		return;
	strncpy(history[hist_count % HISTORY], line, LINE_MAX - 1);
	history[hist_count % HISTORY][LINE_MAX - 1] = '\0';
	hist_count++;
}

/* While the shell waits for input, blob threads run and the USB
 * controllers are polled (sched_idle). */
static int
idle_getc(void)
{
	while (sched_thread_count() && !plat_console_wait(0))
		plat_console_wait(MIN(sched_idle(), 10 * NSEC_PER_MSEC));
	return plat_console_getc();
}

/* Returns the key, mapping escape sequences to the control key with the
 * same meaning (up = ^P, down = ^N, left = ^B, right = ^F, home = ^A,
 * end = ^E, delete = ^D when the line is not empty). */
static int
read_key(void)
{
	int c = idle_getc(), d;

	if (c != 0x1b)
		return c;
	c = plat_console_getc();
	if (c != '[' && c != 'O')
		return c;
	c = plat_console_getc();
	if (c >= '0' && c <= '9') {
		d = plat_console_getc();
		if (d != '~')
			return 0;
		return c == '1' || c == '7' ? 1 : c == '4' || c == '8' ? 5 : c == '3' ? 0x7f00 : 0;
	}
	switch (c) {
	case 'A': return 16;
	case 'B': return 14;
	case 'C': return 6;
	case 'D': return 2;
	case 'H': return 1;
	case 'F': return 5;
	}
	return 0;
}

int
lineedit_read(const char *prompt, char *buf, size_t size)
{
	struct edit e = { prompt, buf, size, 0, 0, 0 };
	unsigned browse = hist_count;	/* history index being shown */
	int result = -1;

	plat_console_raw(true);
	emit(prompt);
	for (;;) {
		int c = read_key();

		if (c < 0)
			break;
		switch (c) {
		case '\r':
		case '\n':
			buf[e.len] = '\0';
			emit("\r\n");
			if (e.dropped) {	/* a cut line is reported, not run */
				result = (int)MIN(e.len + e.dropped, 0x7fffffffUL);
				goto out;
			}
			history_add(buf);
			result = (int)e.len;
			goto out;
		case 4:		/* ^D: end of input on an empty line */
			if (e.len == 0) {
				emit("\r\n");
				goto out;
			}
			/* fall through */
		case 0x7f00:
			if (e.pos < e.len)
				delete_range(&e, e.pos, e.pos + 1);
			break;
		case 0x7f:
		case 8:
			if (e.pos > 0)
				delete_range(&e, e.pos - 1, e.pos);
			break;
		case 1: e.pos = 0; break;
		case 5: e.pos = e.len; break;
		case 2: if (e.pos) e.pos--; break;
		case 6: if (e.pos < e.len) e.pos++; break;
		case 11: e.len = e.pos; break;
		case 21: delete_range(&e, 0, e.pos); break;
		case 23: {	/* ^W: previous word */
			size_t p = e.pos;

			while (p && buf[p - 1] == ' ')
				p--;
			while (p && buf[p - 1] != ' ')
				p--;
			delete_range(&e, p, e.pos);
			break;
		}
		case 3:		/* ^C: abandon the line */
			emit("^C\r\n");
			e.len = e.pos = e.dropped = 0;
			break;
		case 12:	/* ^L */
			emit("\x1b[H\x1b[2J");
			break;
		case 16:
		case 14: {
			unsigned oldest = hist_count > HISTORY ? hist_count - HISTORY : 0;

			if (c == 16 && browse > oldest)
				browse--;
			else if (c == 14 && browse < hist_count)
				browse++;
			else
				break;
			set_line(&e, browse == hist_count ? "" : history[browse % HISTORY]);
			break;
		}
		case '\t':
			complete(&e);
			break;
		default:
			if (c >= 0x20 && c < 0x7f)
				insert(&e, (char)c);
			break;
		}
		redraw(&e);
	}
out:
	plat_console_raw(false);
	return result;
}

int
lineedit_read_plain(char *buf, size_t size)
{
	size_t len = 0, total = 0;
	int c;

	/* An over-long line is read to its end (so its tail is not taken for
	 * the next line) and reported by its length. */
	while ((c = idle_getc()) >= 0 && c != '\n') {
		if (len + 1 < size)
			buf[len++] = (char)c;
		if (total < 0x7fffffff)
			total++;
	}
	if (c < 0 && total == 0)
		return -1;
	if (len && buf[len - 1] == '\r' && total == len) {
		len--;
		total--;
	}
	buf[len] = '\0';
	return (int)total;
}
