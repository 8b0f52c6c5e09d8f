/* Bounds of the registration sections; the linker defines __start_X and
 * __stop_X for every section whose name is a C identifier. */
#ifndef CORE_SECTION_H
#define CORE_SECTION_H

#define SECTION_BOUNDS(type, sec) \
	extern const type __start_##sec[] __attribute__((weak)); \
	extern const type __stop_##sec[] __attribute__((weak))

#define SECTION_COUNT(sec) ((size_t)(__stop_##sec - __start_##sec))

#endif
