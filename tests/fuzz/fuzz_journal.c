/* fuzz_journal — a batch journal as a crash or a hand left it: opened
 * (a partial last line cut off), looked up, and appended to. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codicil/journal.h"
#include "codicil/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/codicil-fuzz-journal.XXXXXX";
	int fd = mkstemp(path);
	journal jn;

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	if (journal_open(path, &jn) == 0) {
		journal_last(&jn, "0123456789abcdef");
		journal_run(&jn);
		journal_append(&jn, cJSON_Parse("{\"request\":\"0123456789abcdef\",\"status\":\"ok\"}"));
		journal_clear(&jn);
	}
	unlink(path);
	return 0;
}
