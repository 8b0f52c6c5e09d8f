#!/usr/bin/env bash
# tests/hv/hv_efi_fw.sh with 4 CPUs on -machine q35, for `make test-hv' (the
# issue's test; `make test' runs the 2-CPU q35 one, for time).
BV_EFI_FW_MACHINE=q35 BV_EFI_FW_SMP=4 exec bash "$(dirname "$0")/hv_efi_fw.sh"
