/* libgcc helpers: 128-bit division and the CPU model data behind
 * __builtin_cpu_supports. */
__int128
div128(__int128 a, __int128 b)
{
	return a / b;
}

int
has_avx2(void)
{
	return __builtin_cpu_supports("avx2");
}
