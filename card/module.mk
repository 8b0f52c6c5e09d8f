# The VMM as pcscd (docs/ccid.md "In the VMM"): log_msg/log_xxd for IFD
# handlers, reader discovery on the USB core, the `card` shell commands
# over whichever blob exports the IFDH* functions (Debian's libccid.so).
IMAGE_SRCS += $(wildcard card/*.c)
# An APDU round trip: usbredir client, and libccid in blobvisor (bench/ccid_rtt.sh);
# it drives dongled --ccid with the test client, both built by `make bench` too.
BENCH_PROGS += bench/ccid_rtt.sh
BENCH_DEPS += $(B)/dongled $(B)/tests/dongled/ccid_client
# The same round trip under QEMU through UHCI: blobvisor on bare metal and
# Debian's pcscd + libccid in the Linux guest (bench/ccid_qemu.sh).
BENCH_PROGS += bench/ccid_qemu.sh
BENCH_DEPS += $(B)/blobvisor-pc.elf $(B)/guest/kernel.version $(B)/guest/pcsc_probe
