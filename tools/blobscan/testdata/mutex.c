/* pthread, libusb, fortify and an unknown import, for the class tests. */
typedef union { char size[40]; long align; } pthread_mutex_t;
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_unlock(pthread_mutex_t *m);
int usb_interrupt_write(void *dev, int ep, const char *bytes, int size, int timeout);
int __sprintf_chk(char *s, int flag, unsigned long len, const char *fmt, ...);
int vendor_secret_sauce(int);

static pthread_mutex_t lock;

int
send(void *dev, int v)
{
	char buf[16];
	int r;

	pthread_mutex_lock(&lock);
	__sprintf_chk(buf, 1, sizeof(buf), "%d", vendor_secret_sauce(v));
	r = usb_interrupt_write(dev, 1, buf, 16, 1000);
	pthread_mutex_unlock(&lock);
	return r;
}
