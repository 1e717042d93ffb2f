/* journal.c — append-only JSONL, valid up to its last complete line. */
#include "codicil/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"

static int index_line(journal *jn, size_t i)
{
	const char *key = cd_json_str(jn->lines[i], "request");
	struct strmap_entry *e;

	if (!key)
		return 0;
	if ((e = strmap_get(&jn->last, key))) {
		e->value = i;
		return 0;
	}
	return strmap_put(&jn->last, key, i) < 0 ? -1 : 0;
}

static int keep(journal *jn, cJSON *j)
{
	if (jn->n == jn->cap) {
		size_t cap = jn->cap ? 2 * jn->cap : 64;
		cJSON **p = realloc(jn->lines, cap * sizeof *p);
		if (!p) {
			cd_err_set("out of memory");
			return -1;
		}
		jn->lines = p;
		jn->cap = cap;
	}
	jn->lines[jn->n++] = j;
	if (index_line(jn, jn->n - 1) < 0) {
		jn->n--;
		return -1;
	}
	return 0;
}

/* A crash can leave half a line at the end: cut it off so that the next
 * append starts on a line of its own. */
static int cut_partial_line(const char *path, const cd_buf *text, size_t *complete)
{
	size_t end = text->len;

	while (end > 0 && text->data[end - 1] != '\n')
		end--;
	*complete = end;
	if (*complete == text->len)
		return 0;
	if (truncate(path, (off_t)*complete) < 0) {
		cd_err_set("cannot repair journal %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int journal_open(const char *path, journal *jn)
{
	cd_buf text = CD_BUF_INIT;
	size_t complete, start = 0;

	memset(jn, 0, sizeof *jn);
	jn->lock_fd = -1;
	jn->path = strdup(path);
	if (!jn->path) {
		cd_err_set("out of memory");
		return -1;
	}
	if (!cd_file_exists(path))
		return 0;
	if (cd_file_read(path, &text) < 0 || cut_partial_line(path, &text, &complete) < 0) {
		cd_buf_clear(&text);
		journal_clear(jn);
		return -1;
	}
	while (start < complete) {
		const char *nl = memchr(text.data + start, '\n', complete - start);
		size_t len = (size_t)(nl - (text.data + start));
		cJSON *j = len ? cJSON_ParseWithLength(text.data + start, len) : NULL;

		if (j && cJSON_IsObject(j)) {
			if (keep(jn, j) < 0) { /* never a journal with lines missing */
				cJSON_Delete(j);
				cd_buf_clear(&text);
				journal_clear(jn);
				cd_err_set("out of memory reading the journal %s", path);
				return -1;
			}
		} else {
			cJSON_Delete(j);
			if (len)
				jn->skipped++;
		}
		start += len + 1;
	}
	cd_buf_clear(&text);
	return 0;
}

int journal_append(journal *jn, cJSON *j)
{
	cd_buf line = CD_BUF_INIT;
	int rc = cd_json_print_compact(j, &line);

	if (rc == 0)
		rc = cd_buf_putc(&line, '\n');
	if (rc == 0)
		rc = cd_file_append_line_sync(jn->path, line.data, line.len);
	cd_buf_clear(&line);
	if (rc < 0 || keep(jn, j) < 0) {
		cJSON_Delete(j);
		return -1;
	}
	return 0;
}

const cJSON *journal_last(const journal *jn, const char *key)
{
	const struct strmap_entry *e = key ? strmap_get(&jn->last, key) : NULL;

	return e ? jn->lines[e->value] : NULL;
}

const char *journal_run(const journal *jn)
{
	for (size_t i = 0; i < jn->n; i++)
		if (cd_json_str(jn->lines[i], "run"))
			return cd_json_str(jn->lines[i], "run");
	return NULL;
}

int journal_lock(journal *jn)
{
	int fd = open(jn->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		cd_err_set("cannot open the journal %s: %s", jn->path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			cd_err_set("journal %s is in use by another run; wait for it to end",
				   jn->path);
		else
			cd_err_set("cannot lock the journal %s: %s", jn->path, strerror(errno));
		close(fd);
		return -1;
	}
	jn->lock_fd = fd;
	return 0;
}

void journal_clear(journal *jn)
{
	if (jn->path && jn->lock_fd >= 0)
		close(jn->lock_fd);
	for (size_t i = 0; i < jn->n; i++)
		cJSON_Delete(jn->lines[i]);
	free(jn->lines);
	free(jn->path);
	strmap_clear(&jn->last);
	memset(jn, 0, sizeof *jn);
}
