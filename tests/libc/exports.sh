#!/usr/bin/env bash
# The export table as the loader and host tools see it: dbgsh `exports'
# through build/blobvisor, and build/exports.txt.  Also: libc/ reaches the
# core only through its few services (nothing else can leak in).
. "$(dirname "$0")/../lib.sh"
TXT="$BV_TOP/build/exports.txt"

out=$("$BV" -c 'exports' 2>&1); rc=$?
check "exports runs" equals "$rc" 0
for line in "memcpy libc function" "__memcpy_chk fortify function" "pthread_mutex_lock pthread function" \
	    "__stack_chk_fail ssp function" "__udivti3 runtime function" "stdout libc object" \
	    "__ctype_b_loc libc function" "__popcountdi2 runtime function"; do
	set -- $line
	check "exports lists $1 as $2 $3" bash -c "grep -qE '^$1 +$2 +$3 +0x' <<<'$out'"
done
out=$("$BV" -c 'exports pthread_mutex_*' 2>&1)
check "exports GLOB filters (pthread_mutex_*)" contains "$out" "pthread_mutex_unlock"
check "exports GLOB shows only matches" lacks "$out" "memcpy"

# Every name the issue promises, with its class, in build/exports.txt.
want_libc="memcpy memmove memset memcmp memchr memrchr memmem strlen strnlen strcpy strncpy strcat
strncat strcmp strncmp strcasecmp strncasecmp strchr strrchr strstr strspn strcspn strpbrk strtok
strtok_r strdup strndup strerror stpcpy stpncpy bzero explicit_bzero isalnum isalpha isblank iscntrl
isdigit isgraph islower isprint ispunct isspace isupper isxdigit tolower toupper malloc calloc realloc
free aligned_alloc posix_memalign atoi atol atoll strtol strtoul strtoll strtoull abs labs qsort
bsearch abort getenv rand srand printf vprintf puts putchar snprintf vsnprintf sprintf vsprintf
fprintf vfprintf fputs fputc fwrite fflush stdin stdout stderr __ctype_b_loc __ctype_tolower_loc
__ctype_toupper_loc __isoc99_sscanf __errno_location sscanf vsscanf open close read write lseek
lseek64 fopen fclose fread time clock_gettime gettimeofday nanosleep usleep sleep __assert_fail"
want_fortify="__memcpy_chk __memmove_chk __memset_chk __strcpy_chk __stpcpy_chk __strcat_chk
__strncpy_chk __sprintf_chk __snprintf_chk __vsprintf_chk __vsnprintf_chk __printf_chk __fprintf_chk
__vfprintf_chk __explicit_bzero_chk"
want_pthread="pthread_mutex_init pthread_mutex_lock pthread_mutex_trylock pthread_mutex_unlock
pthread_mutex_destroy pthread_mutexattr_init pthread_mutexattr_destroy pthread_mutexattr_settype
pthread_mutexattr_gettype pthread_once pthread_key_create pthread_key_delete pthread_getspecific
pthread_setspecific pthread_self pthread_equal pthread_create pthread_cond_wait"
want_runtime="__udivti3 __divti3 __umodti3 __modti3 __popcountdi2"
missing=()
for cls in libc fortify pthread runtime; do
	var=want_$cls
	for n in ${!var}; do
		grep -qE "^$n $cls (function|object)$" "$TXT" || missing+=("$n($cls)")
	done
done
grep -qE '^__stack_chk_fail ssp function$' "$TXT" || missing+=("__stack_chk_fail(ssp)")
check "exports.txt has every promised name with its class (missing: ${missing[*]:-none})" \
	equals "${#missing[@]}" 0
for n in stdin stdout stderr; do
	check "exports.txt: $n is an object" bash -c "grep -qx '$n libc object' '$TXT'"
done
check "exports.txt has no name twice" equals "$(awk '{print $1}' "$TXT" | sort | uniq -d | wc -l)" 0
for n in log_msg log_xxd; do	# pcscd's, for IFD handlers (card/log.c)
	check "exports.txt: $n is pcsc" bash -c "grep -qx '$n pcsc function' '$TXT'"
done
check "exports.txt lines are 'name class kind'" \
	equals "$(grep -cvE '^[A-Za-z_][A-Za-z0-9_]* (libc|fortify|pthread|libusb|libusb1|ssp|runtime|pcsc) (function|object)$' "$TXT")" 0
check "exports.txt matches the running table" \
	equals "$("$BV" -c 'exports --txt' | md5sum)" "$(md5sum <"$TXT")"

# libc/ uses only these core services (and libgcc's own helpers).
# The file namespace adds: its shell commands' host files (plat_file_read),
# --file (options_add), mkstemp's entropy, mmap's pages, callers' names.
# musl's libm members are PIC: _GLOBAL_OFFSET_TABLE_ (the link gives it).
allowed='^(_GLOBAL_OFFSET_TABLE_|console_write|ctx_(abort|describe|errno_location|heap)|core_heap|exec_tcb_address|exec_thread_[a-z_]+|sched_[a-z_]+|heap_(alloc|alloc_aligned|free|realloc|usable_size|alloc_in|free_in|realloc_in|usable_size_in|find)|kprintf|plat_console_getc|plat_console_is_tty|plat_file_read|plat_random_u64|options_add|pages_(alloc|free|owns)|time_(delay_ns|now_ns|wall_seconds)|__[a-z0-9_]+)$'
objs=()	# only objects of sources that exist: a build tree may keep stale ones
for o in "$BV_TOP"/build/obj/libc/*.o; do
	n=$(basename "$o" .o)
	[[ -n $(compgen -G "$BV_TOP/libc/$n.*") ]] && objs+=("$o")
done
tmp=$(mktemp)
ld -r -o "$tmp" "${objs[@]}"
stray=$(nm -u "$tmp" | awk '{print $2}' | grep -vE "$allowed" | tr '\n' ' ')
rm -f "$tmp"
check "libc/ references no core symbol beyond its services (stray: ${stray:-none})" equals "$stray" ""
done_testing
