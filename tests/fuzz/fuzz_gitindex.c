/* fuzz_gitindex — what codicil finds in .git/index: whatever another tool
 * (or a disk) left there.  Read in place (store/gitindex.c), it must never
 * read outside the file; when codicil rewrites it for a commit's path, the
 * result must be an index it reads back with that path's entry.
 *
 * Half the inputs are taken as the file itself; the other half get a
 * header and a checksum made for them (the first byte's low bit decides),
 * so that the fuzzer reaches the entries and the rewrite, not only the
 * checks in front of them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/store/store_internal.h"
#include "codicil/hash.h"

static store *repo;
static char dir[] = "/tmp/fuzz-gitindex-XXXXXX", index_path[512], file_path[512];

static void cleanup(void)
{
	char cmd[600];

	store_close(repo);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_gitindex: could not remove %s\n", dir);
}

static void setup(void)
{
	char cmd[600];

	if (!mkdtemp(dir))
		abort();
	snprintf(cmd, sizeof cmd, "git init -q '%s' && mkdir -p '%s/cases/ab' && "
		 "echo '{}' > '%s/cases/ab/c.json'", dir, dir, dir);
	if (system(cmd) != 0 || store_open(dir, &repo) < 0)
		abort();
	atexit(cleanup);
	snprintf(index_path, sizeof index_path, "%s/.git/index", dir);
	snprintf(file_path, sizeof file_path, "%s/cases/ab/c.json", dir);
}

static void write_index(const uint8_t *data, size_t size)
{
	FILE *f = fopen(index_path, "wb");
	unsigned char sum[CD_SHA1_RAW];

	if (!f)
		abort();
	if (size && !(data[0] & 1)) {
		/* "DIRC", version 2 or 3, a count, the rest, then its sha1 */
		cd_buf b = CD_BUF_INIT;
		unsigned char h[12] = { 'D', 'I', 'R', 'C', 0, 0, 0, size > 1 && (data[1] & 1) ? 3 : 2,
					0, 0, 0, size > 2 ? data[2] % 8 : 0 };
		cd_buf_append(&b, h, sizeof h);
		if (size > 3)
			cd_buf_append(&b, data + 3, size - 3);
		cd_sha1_raw(b.data, b.len, sum);
		cd_buf_append(&b, sum, sizeof sum);
		fwrite(b.data, 1, b.len, f);
		cd_buf_clear(&b);
	} else {
		fwrite(data, 1, size, f);
	}
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *paths[] = { "cases/ab/c.json", "cases", "a" };
	gitindex_hit hits[3];
	store_gitindex *ix = NULL;
	git_index_entry e = { .path = "cases/ab/c.json", .mode = GIT_FILEMODE_BLOB };
	gitindex_put put = { "cases/ab/c.json", &e };
	struct stat st;

	if (!repo)
		setup();
	write_index(data, size);
	if (store__gitindex_open(repo, &ix) == 0) {
		store__gitindex_find(ix, paths, 3, hits);
		store__gitindex_close(ix);
	}
	if (stat(file_path, &st) < 0 || git_odb_hashfile(&e.id, file_path, GIT_OBJECT_BLOB) < 0)
		abort();
	e.file_size = (uint32_t)st.st_size;
	e.mtime.seconds = (int32_t)st.st_mtim.tv_sec;
	if (store__gitindex_update(repo, &put, 1) == 0) {
		/* what codicil wrote, codicil reads, with the entry it put */
		if (store__gitindex_open(repo, &ix) != 0 || store__gitindex_find(ix, paths, 1, hits) < 0 ||
		    !hits[0].present || !git_oid_equal(&hits[0].id, &e.id))
			abort();
		store__gitindex_close(ix);
	}
	return 0;
}
