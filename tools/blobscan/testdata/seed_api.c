/* A stand-in for the seed's vendor member RockeySmart.o: the API the
 * samples call, on libc, pthread and libusb-0.1, as a vendor builds it
 * (-fPIC -fstack-protector-strong). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int seed_transport_xfer(void *dev, unsigned char *buf, int len);
void *seed_transport_find(void);

static pthread_mutex_t api_lock;

int
DIC_Find(void)
{
	pthread_mutex_init(&api_lock, NULL);
	return seed_transport_find() ? 1 : 0;
}

int
DIC_Open(int index, char *serial)
{
	char buf[64];

	pthread_mutex_lock(&api_lock);
	sprintf(buf, "%d-%ld", index, (long)time(NULL));
	strcpy(serial, buf);
	pthread_mutex_unlock(&api_lock);
	return (int)strlen(serial);
}

int
DIC_Command(void *dev, const char *cmd, unsigned char *out)
{
	unsigned char pkt[64];

	memset(pkt, 0, sizeof(pkt));
	memcpy(pkt, cmd, strlen(cmd) < 63 ? strlen(cmd) : 63);
	if (memcmp(pkt, "SET", 3) == 0)
		pkt[63] = (unsigned char)atoi(cmd + 3) + (unsigned char)atol(cmd + 4);
	return seed_transport_xfer(dev, out ? out : pkt, 64);
}
