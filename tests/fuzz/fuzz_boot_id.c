/*
 * parse_boot_id (/proc/sys/kernel/random/boot_id). Invariants:
 *   - rc is 0, -EINVAL or -ENODATA (iff the buffer is empty);
 *   - on 0, out is exactly 36 characters, 8-4-4-4-12 lower-case hex, equal to
 *     the first 36 bytes of the input, and parsing out again gives out;
 *   - on failure, out is the empty string.
 */
#include <errno.h>

#include "collect/parse.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fz_dup((const char *)data, size);
	char out[BOOT_ID_LEN + 1], again[BOOT_ID_LEN + 1];

	memset(out, 0x5a, sizeof out);
	int rc = parse_boot_id(buf, size, out);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENODATA);
	FUZZ_CHECK((rc == -ENODATA) == (size == 0));
	if (rc == 0) {
		FUZZ_CHECK(strlen(out) == BOOT_ID_LEN);
		FUZZ_CHECK(memcmp(out, buf, BOOT_ID_LEN) == 0);
		for (int i = 0; i < BOOT_ID_LEN; i++) {
			char c = out[i];
			bool dash = i == 8 || i == 13 || i == 18 || i == 23;
			FUZZ_CHECK(dash ? c == '-' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
		}
		FUZZ_CHECK(parse_boot_id(out, BOOT_ID_LEN, again) == 0);
		FUZZ_CHECK(strcmp(out, again) == 0);
	} else {
		FUZZ_CHECK(out[0] == '\0');
	}
	free(buf);
	return 0;
}
