/* libusb1_probe as a Linux program, linked with Debian's real libusb-1.0
 * (the guest's side of tests/e2e/usb1_differential.sh). */
int probe1(void);

int
main(void)
{
	return probe1();
}
