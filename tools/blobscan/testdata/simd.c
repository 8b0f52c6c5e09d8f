/* A loop the vectoriser turns into SSE2 (default) or AVX2 (-mavx2), and
 * into plain integer code with -mgeneral-regs-only. */
void
add3(int *restrict d, const int *restrict s, int n)
{
	for (int i = 0; i < n; i++)
		d[i] = s[i] + 3;
}
