/* Errno values as glibc's strerror() words them: usb_strerror() must read
 * as it does under real libusb on Linux. */
#include <usb/core.h>

const char *
usb_errno_text(int err)
{
	switch (err) {
	case 0: return "Success";
	case 1: return "Operation not permitted";
	case 2: return "No such file or directory";
	case 5: return "Input/output error";
	case 11: return "Resource temporarily unavailable";
	case 12: return "Cannot allocate memory";
	case 14: return "Bad address";
	case 16: return "Device or resource busy";
	case 19: return "No such device";
	case 22: return "Invalid argument";
	case 27: return "File too large";
	case 32: return "Broken pipe";
	case 38: return "Function not implemented";
	case 61: return "No data available";
	case 71: return "Protocol error";
	case 75: return "Value too large for defined data type";
	case 104: return "Connection reset by peer";
	case 110: return "Connection timed out";
	case 111: return "Connection refused";
	case 13: return "Permission denied";
	case 9: return "Bad file descriptor";
	case 125: return "Operation canceled";
	default: return "Unknown error";
	}
}
