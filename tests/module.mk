TEST_PROGS += $(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))
TEST_SCRIPTS += $(wildcard tests/e2e/*.sh)
