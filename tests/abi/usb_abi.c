/* Prints the libusb-0.1 ABI as the usb.h it is compiled against sees it:
 * sizeof and offsetof of every field of every struct, and the value of
 * every constant (consts.h, generated from Debian's header's #defines).
 * Built once against /usr/include/usb.h and once against include/usb/usb.h;
 * tests/e2e/usb_abi.sh compares the two outputs. */
#include <stddef.h>
#include <stdio.h>
#include <usb.h>

#define S(t) printf("sizeof(struct %s) = %zu\n", #t, sizeof(struct t))
#define F(t, f) printf("struct %s.%s: offset %zu size %zu\n", #t, #f, offsetof(struct t, f), \
		       sizeof(((struct t *)0)->f))

int
main(void)
{
	S(usb_descriptor_header);
	F(usb_descriptor_header, bLength); F(usb_descriptor_header, bDescriptorType);
	S(usb_string_descriptor);
	F(usb_string_descriptor, bLength); F(usb_string_descriptor, bDescriptorType);
	F(usb_string_descriptor, wData);
	S(usb_hid_descriptor);
	F(usb_hid_descriptor, bLength); F(usb_hid_descriptor, bDescriptorType);
	F(usb_hid_descriptor, bcdHID); F(usb_hid_descriptor, bCountryCode);
	F(usb_hid_descriptor, bNumDescriptors);
	S(usb_endpoint_descriptor);
	F(usb_endpoint_descriptor, bLength); F(usb_endpoint_descriptor, bDescriptorType);
	F(usb_endpoint_descriptor, bEndpointAddress); F(usb_endpoint_descriptor, bmAttributes);
	F(usb_endpoint_descriptor, wMaxPacketSize); F(usb_endpoint_descriptor, bInterval);
	F(usb_endpoint_descriptor, bRefresh); F(usb_endpoint_descriptor, bSynchAddress);
	F(usb_endpoint_descriptor, extra); F(usb_endpoint_descriptor, extralen);
	S(usb_interface_descriptor);
	F(usb_interface_descriptor, bLength); F(usb_interface_descriptor, bDescriptorType);
	F(usb_interface_descriptor, bInterfaceNumber); F(usb_interface_descriptor, bAlternateSetting);
	F(usb_interface_descriptor, bNumEndpoints); F(usb_interface_descriptor, bInterfaceClass);
	F(usb_interface_descriptor, bInterfaceSubClass); F(usb_interface_descriptor, bInterfaceProtocol);
	F(usb_interface_descriptor, iInterface); F(usb_interface_descriptor, endpoint);
	F(usb_interface_descriptor, extra); F(usb_interface_descriptor, extralen);
	S(usb_interface);
	F(usb_interface, altsetting); F(usb_interface, num_altsetting);
	S(usb_config_descriptor);
	F(usb_config_descriptor, bLength); F(usb_config_descriptor, bDescriptorType);
	F(usb_config_descriptor, wTotalLength); F(usb_config_descriptor, bNumInterfaces);
	F(usb_config_descriptor, bConfigurationValue); F(usb_config_descriptor, iConfiguration);
	F(usb_config_descriptor, bmAttributes); F(usb_config_descriptor, MaxPower);
	F(usb_config_descriptor, interface); F(usb_config_descriptor, extra);
	F(usb_config_descriptor, extralen);
	S(usb_device_descriptor);
	F(usb_device_descriptor, bLength); F(usb_device_descriptor, bDescriptorType);
	F(usb_device_descriptor, bcdUSB); F(usb_device_descriptor, bDeviceClass);
	F(usb_device_descriptor, bDeviceSubClass); F(usb_device_descriptor, bDeviceProtocol);
	F(usb_device_descriptor, bMaxPacketSize0); F(usb_device_descriptor, idVendor);
	F(usb_device_descriptor, idProduct); F(usb_device_descriptor, bcdDevice);
	F(usb_device_descriptor, iManufacturer); F(usb_device_descriptor, iProduct);
	F(usb_device_descriptor, iSerialNumber); F(usb_device_descriptor, bNumConfigurations);
	S(usb_ctrl_setup);
	F(usb_ctrl_setup, bRequestType); F(usb_ctrl_setup, bRequest); F(usb_ctrl_setup, wValue);
	F(usb_ctrl_setup, wIndex); F(usb_ctrl_setup, wLength);
	S(usb_device);
	F(usb_device, next); F(usb_device, prev); F(usb_device, filename); F(usb_device, bus);
	F(usb_device, descriptor); F(usb_device, config); F(usb_device, dev); F(usb_device, devnum);
	F(usb_device, num_children); F(usb_device, children);
	S(usb_bus);
	F(usb_bus, next); F(usb_bus, prev); F(usb_bus, dirname); F(usb_bus, devices);
	F(usb_bus, location); F(usb_bus, root_dev);
#include "consts.h"
	return 0;
}
