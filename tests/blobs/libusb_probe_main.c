/* libusb_probe as a Linux program (the guest's side of the differential). */
int probe(void);

int
main(void)
{
	return probe();
}
