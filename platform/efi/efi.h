/* The parts of the UEFI interface (UEFI 2.x specification, chapters 4, 7,
 * 9, 13) that blobvisor.efi calls, declared from the specification's
 * tables.  Every function pointer is the Microsoft x64 convention, which is
 * the compiler's default for the x86_64-unknown-windows target. */
#ifndef PLATFORM_EFI_EFI_H
#define PLATFORM_EFI_EFI_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef uint64_t efi_status;
typedef void *efi_handle;
typedef uint16_t char16;

#define EFI_ERR			(1ULL << 63)
#define EFI_SUCCESS		0
#define EFI_LOAD_ERROR		(EFI_ERR | 1)
#define EFI_INVALID_PARAMETER	(EFI_ERR | 2)
#define EFI_UNSUPPORTED		(EFI_ERR | 3)
#define EFI_BUFFER_TOO_SMALL	(EFI_ERR | 5)
#define EFI_OUT_OF_RESOURCES	(EFI_ERR | 9)
#define EFI_NOT_FOUND		(EFI_ERR | 14)

typedef struct {
	uint32_t d1;
	uint16_t d2, d3;
	uint8_t d4[8];
} efi_guid;

struct efi_table_header {
	uint64_t signature;
	uint32_t revision, header_size, crc32, reserved;
};

enum efi_alloc_type { ALLOCATE_ANY_PAGES, ALLOCATE_MAX_ADDRESS, ALLOCATE_ADDRESS };

enum efi_memory_type {
	EFI_RESERVED_MEMORY, EFI_LOADER_CODE, EFI_LOADER_DATA, EFI_BOOT_SERVICES_CODE,
	EFI_BOOT_SERVICES_DATA, EFI_RUNTIME_SERVICES_CODE, EFI_RUNTIME_SERVICES_DATA,
	EFI_CONVENTIONAL_MEMORY, EFI_UNUSABLE_MEMORY, EFI_ACPI_RECLAIM_MEMORY,
	EFI_ACPI_MEMORY_NVS, EFI_MEMORY_MAPPED_IO, EFI_MEMORY_MAPPED_IO_PORT_SPACE,
	EFI_PAL_CODE, EFI_PERSISTENT_MEMORY,
};

struct efi_memory_descriptor {
	uint32_t type;
	uint64_t physical_start, virtual_start, pages, attribute;
};

struct efi_boot_services {
	struct efi_table_header hdr;
	void *raise_tpl, *restore_tpl;
	efi_status (*allocate_pages)(uint32_t type, uint32_t memtype, uint64_t pages,
				     uint64_t *addr);
	efi_status (*free_pages)(uint64_t addr, uint64_t pages);
	efi_status (*get_memory_map)(uint64_t *size, struct efi_memory_descriptor *map,
				     uint64_t *key, uint64_t *desc_size, uint32_t *desc_version);
	efi_status (*allocate_pool)(uint32_t memtype, uint64_t size, void **buf);
	efi_status (*free_pool)(void *buf);
	void *create_event, *set_timer, *wait_for_event, *signal_event, *close_event,
	     *check_event;
	void *install_protocol_interface, *reinstall_protocol_interface,
	     *uninstall_protocol_interface;
	efi_status (*handle_protocol)(efi_handle h, const efi_guid *g, void **iface);
	void *reserved, *register_protocol_notify, *locate_handle, *locate_device_path,
	     *install_configuration_table;
	efi_status (*load_image)(bool boot_policy, efi_handle parent, void *device_path,
				 void *src, uint64_t size, efi_handle *image);
	efi_status (*start_image)(efi_handle image, uint64_t *exit_size, char16 **exit_data);
	void *exit, *unload_image;
	efi_status (*exit_boot_services)(efi_handle image, uint64_t map_key);
	void *get_next_monotonic_count;
	efi_status (*stall)(uint64_t us);
	efi_status (*set_watchdog_timer)(uint64_t timeout, uint64_t code, uint64_t size,
					 char16 *data);
	void *connect_controller;
	efi_status (*disconnect_controller)(efi_handle controller, efi_handle driver,
					    efi_handle child);
	void *open_protocol, *close_protocol, *open_protocol_information, *protocols_per_handle;
	efi_status (*locate_handle_buffer)(uint32_t search, const efi_guid *protocol, void *key,
					   uint64_t *count, efi_handle **handles);
};
#define BY_PROTOCOL	2

/* EFI_PCI_IO_PROTOCOL, as far as blobvisor.efi uses it */
struct efi_pci_io {
	void *poll_mem, *poll_io, *mem_read, *mem_write, *io_read, *io_write;
	efi_status (*pci_read)(struct efi_pci_io *self, uint32_t width, uint32_t offset,
			       uint64_t count, void *buf);
	void *pci_write, *copy_mem, *map, *unmap, *allocate_buffer, *free_buffer, *flush;
	efi_status (*get_location)(struct efi_pci_io *self, uint64_t *seg, uint64_t *bus,
				   uint64_t *dev, uint64_t *fn);
};
#define PCI_WIDTH_UINT32	2

struct efi_configuration_table {
	efi_guid guid;
	void *table;
};

struct efi_simple_text_output {
	void *reset;
	efi_status (*output_string)(struct efi_simple_text_output *self, const char16 *s);
};

struct efi_system_table {
	struct efi_table_header hdr;
	char16 *firmware_vendor;
	uint32_t firmware_revision;
	efi_handle console_in_handle;
	void *con_in;
	efi_handle console_out_handle;
	struct efi_simple_text_output *con_out;
	efi_handle standard_error_handle;
	struct efi_simple_text_output *std_err;
	void *runtime_services;
	struct efi_boot_services *boot_services;
	uint64_t ntables;
	struct efi_configuration_table *tables;
};

struct efi_loaded_image {
	uint32_t revision;
	efi_handle parent;
	struct efi_system_table *system_table;
	efi_handle device;
	void *file_path;
	void *reserved;
	uint32_t load_options_size;
	void *load_options;
	void *image_base;
	uint64_t image_size;
	uint32_t code_type, data_type;
	void *unload;
};

struct efi_file {
	uint64_t revision;
	efi_status (*open)(struct efi_file *self, struct efi_file **out, const char16 *name,
			   uint64_t mode, uint64_t attributes);
	efi_status (*close)(struct efi_file *self);
	void *delete_;
	efi_status (*read)(struct efi_file *self, uint64_t *size, void *buf);
	void *write;
	efi_status (*get_position)(struct efi_file *self, uint64_t *pos);
	efi_status (*set_position)(struct efi_file *self, uint64_t pos);
};
#define EFI_FILE_MODE_READ	1ULL

struct efi_simple_file_system {
	uint64_t revision;
	efi_status (*open_volume)(struct efi_simple_file_system *self, struct efi_file **root);
};

#define EFI_LOADED_IMAGE_GUID \
	{ 0x5b1b31a1, 0x9562, 0x11d2, { 0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } }
#define EFI_SIMPLE_FILE_SYSTEM_GUID \
	{ 0x964e5b22, 0x6459, 0x11d2, { 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } }
#define EFI_DEVICE_PATH_GUID \
	{ 0x09576e91, 0x6d3f, 0x11d2, { 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } }
#define EFI_PCI_IO_GUID \
	{ 0x4cf5b200, 0x68b8, 0x4ca5, { 0x9e, 0xec, 0xb2, 0x3e, 0x3f, 0x50, 0x02, 0x9a } }
#define EFI_ACPI_20_TABLE_GUID \
	{ 0x8868e871, 0xe4f1, 0x11d3, { 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 } }
#define EFI_ACPI_10_TABLE_GUID \
	{ 0xeb9d2d30, 0x2d88, 0x11d3, { 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d } }

#endif
