/* Reaches its own global: -fPIC through the GOT, -fPIE directly,
 * -fno-pic with an absolute 32-bit address. */
int table[16];

int *
slot(int i)
{
	return &table[i];
}
