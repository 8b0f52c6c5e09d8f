/* Files on the EFI system partition blobvisor.efi was loaded from: the
 * loaded-image protocol names the device, its simple file system protocol
 * opens the volume.  Paths are ASCII with '\' separators, as on the ESP. */
#include "loader.h"

static struct efi_file *root;

int
esp_open(void)
{
	static const efi_guid li_guid = EFI_LOADED_IMAGE_GUID, fs_guid = EFI_SIMPLE_FILE_SYSTEM_GUID;
	struct efi_loaded_image *li;
	struct efi_simple_file_system *fs;
	efi_status s;

	s = efi_bs->handle_protocol(efi_image, &li_guid, (void **)&li);
	if (s != EFI_SUCCESS) {
		say("blobvisor.efi: no loaded-image protocol on our own handle (status %x)\n", s);
		return -1;
	}
	s = efi_bs->handle_protocol(li->device, &fs_guid, (void **)&fs);
	if (s == EFI_SUCCESS)
		s = fs->open_volume(fs, &root);
	if (s != EFI_SUCCESS) {
		say("blobvisor.efi: the device we were loaded from has no file system (status %x)\n", s);
		return -1;
	}
	return 0;
}

static struct efi_file *
open_path(const char *path, bool quiet)
{
	char16 name[256];
	struct efi_file *f;
	size_t n = str_len(path);
	efi_status s;

	if (n >= sizeof(name) / sizeof(name[0])) {
		say("blobvisor.efi: %s: path too long\n", path);
		return NULL;
	}
	for (size_t i = 0; i <= n; i++)
		name[i] = (unsigned char)path[i];
	s = root->open(root, &f, name, EFI_FILE_MODE_READ, 0);
	if (s != EFI_SUCCESS) {
		if (!quiet || s != EFI_NOT_FOUND)
			say("blobvisor.efi: %s: %s (status %x)\n", path,
			    s == EFI_NOT_FOUND ? "no such file on the ESP" : "cannot open", s);
		return NULL;
	}
	return f;
}

/* The file protocol has no size call short of EFI_FILE_INFO; setting the
 * position to all ones moves it to the end of the file (UEFI 13.5). */
static int64_t
size_of(struct efi_file *f)
{
	uint64_t pos = 0;

	if (f->set_position(f, ~0ULL) != EFI_SUCCESS || f->get_position(f, &pos) != EFI_SUCCESS ||
	    f->set_position(f, 0) != EFI_SUCCESS)
		return -1;
	return (int64_t)pos;
}

int64_t
esp_size(const char *path)
{
	struct efi_file *f = open_path(path, false);
	int64_t size;

	if (!f)
		return -1;
	size = size_of(f);
	f->close(f);
	if (size < 0)
		say("blobvisor.efi: %s: cannot find its size\n", path);
	return size;
}

int
esp_read(const char *path, void *buf, uint64_t size)
{
	struct efi_file *f = open_path(path, false);
	uint64_t done = 0;

	if (!f)
		return -1;
	while (done < size) {
		uint64_t n = size - done;

		if (f->read(f, &n, (uint8_t *)buf + done) != EFI_SUCCESS || n == 0)
			break;
		done += n;
	}
	f->close(f);
	if (done != size) {
		say("blobvisor.efi: %s: read %u of %u bytes\n", path, done, size);
		return -1;
	}
	return 0;
}

/* The configuration file may be absent; then 0 with *size = 0. */
int
esp_read_optional(const char *path, char *buf, uint64_t cap, uint64_t *size)
{
	struct efi_file *f = open_path(path, true);
	int64_t n;

	*size = 0;
	if (!f)
		return 0;
	n = size_of(f);
	f->close(f);
	if (n < 0 || (uint64_t)n >= cap) {
		say("blobvisor.efi: %s: %s\n", path, n < 0 ? "cannot find its size" : "too large");
		return -1;
	}
	if (esp_read(path, buf, (uint64_t)n))
		return -1;
	buf[n] = 0;
	*size = (uint64_t)n;
	return 0;
}
