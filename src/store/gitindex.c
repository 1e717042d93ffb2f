/* gitindex.c — git's index file (.git/index) looked up and rewritten for
 * the few paths a commit changes, in one pass over the file.
 *
 * libgit2 parses every entry into memory to answer for one path and
 * serialises every entry again to change one, which at a million cases
 * is most of a commit's cost.  Here the entries are walked in place
 * (mmap) and the unchanged ones copied byte for byte.  Only what codicil
 * can rewrite exactly is handled: index versions 2 and 3 whose mandatory
 * extensions are none.  Anything else (version 4, a split or sparse index)
 * answers GITINDEX_UNSUPPORTED and the caller uses libgit2.
 *
 * Optional extensions describe the entries (the cache tree, offsets of
 * entries, the untracked cache, fsmonitor's token) and would go stale, so
 * they are dropped, as git allows; resolve-undo records are kept.  An entry
 * git could take for clean by its stat data although its file changed
 * within the old index's last second (racily clean) gets size 0, as git
 * and libgit2 smudge it, so that the new, later index does not hide the
 * change.
 */
#include "store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codicil/error.h"
#include "codicil/hash.h"

#define HEADER_LEN 12
#define ENTRY_FIXED 62 /* stat data, object id, flags */
#define FLAG_EXTENDED 0x4000
#define FLAG_STAGE 0x3000
#define FLAG_NAMEMASK 0x0fff

struct store_gitindex {
	const unsigned char *map;
	size_t size;
	unsigned version;
	uint32_t count;
	size_t entries_end; /* where the extensions start */
	struct stat st;     /* of the file read (its time decides what is racy) */
};

typedef struct entry {
	const unsigned char *p;
	size_t len;
	const char *path;
	size_t plen;
	unsigned stage;
} entry;

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* The entry at *off, moving *off past it; -1 when it runs off the file. */
static int next_entry(const store_gitindex *ix, size_t *off, entry *e)
{
	const unsigned char *p = ix->map + *off;
	size_t room = ix->size - CD_SHA1_RAW - *off, fixed = ENTRY_FIXED;
	unsigned flags;
	const unsigned char *nul;

	if (room < ENTRY_FIXED + 2)
		return -1;
	flags = (unsigned)p[60] << 8 | p[61];
	if (flags & FLAG_EXTENDED) {
		if (ix->version < 3)
			return -1;
		fixed += 2;
	}
	if (!(nul = memchr(p + fixed, '\0', room - fixed)))
		return -1;
	e->p = p;
	e->path = (const char *)p + fixed;
	e->plen = (size_t)(nul - (p + fixed));
	e->len = (fixed + e->plen + 8) & ~(size_t)7;
	e->stage = (flags & FLAG_STAGE) >> 12;
	if (e->len > room || ((flags & FLAG_NAMEMASK) != FLAG_NAMEMASK &&
			      (flags & FLAG_NAMEMASK) != e->plen))
		return -1;
	*off += e->len;
	return 0;
}

/* Git's order of index entries: bytewise, a prefix first. */
static int path_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	return c ? c : (alen > blen) - (alen < blen);
}

static int unsupported(store_gitindex *ix)
{
	store__gitindex_close(ix);
	return GITINDEX_UNSUPPORTED;
}

/* Walks the entries once to find where the extensions start, and refuses
 * the mandatory extensions this file cannot carry over. */
static int check_layout(store_gitindex *ix)
{
	size_t off = HEADER_LEN;
	entry e;

	for (uint32_t i = 0; i < ix->count; i++)
		if (next_entry(ix, &off, &e) < 0)
			return -1;
	ix->entries_end = off;
	while (off + 8 <= ix->size - CD_SHA1_RAW) {
		uint32_t len = be32(ix->map + off + 4);
		if (ix->map[off] < 'A' || ix->map[off] > 'Z')
			return -1; /* "link", "sdir": libgit2 decides */
		if (len > ix->size - CD_SHA1_RAW - off - 8)
			return -1;
		off += 8 + (size_t)len;
	}
	return off == ix->size - CD_SHA1_RAW ? 0 : -1;
}

int store__gitindex_open(store *s, store_gitindex **out)
{
	store_gitindex *ix = calloc(1, sizeof *ix);
	cd_buf path = CD_BUF_INIT;
	struct stat st;
	int fd;

	*out = NULL;
	if (!ix) {
		cd_err_set("out of memory");
		return -1;
	}
	if (cd_buf_printf(&path, "%sindex", s->gitdir) < 0) {
		free(ix);
		cd_err_set("out of memory");
		return -1;
	}
	fd = open(cd_buf_cstr(&path), O_RDONLY | O_CLOEXEC);
	cd_buf_clear(&path);
	if (fd < 0) {
		if (errno != ENOENT)
			return unsupported(ix);
		ix->version = 2; /* no index yet: an empty one */
		*out = ix;
		return 0;
	}
	if (fstat(fd, &st) < 0 || st.st_size < HEADER_LEN + CD_SHA1_RAW) {
		close(fd);
		return unsupported(ix);
	}
	ix->size = (size_t)st.st_size;
	ix->st = st;
	ix->map = mmap(NULL, ix->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (ix->map == MAP_FAILED) {
		ix->map = NULL;
		return unsupported(ix);
	}
	ix->version = be32(ix->map + 4);
	ix->count = be32(ix->map + 8);
	if (memcmp(ix->map, "DIRC", 4) || (ix->version != 2 && ix->version != 3) ||
	    check_layout(ix) < 0)
		return unsupported(ix);
	*out = ix;
	return 0;
}

void store__gitindex_close(store_gitindex *ix)
{
	if (!ix)
		return;
	if (ix->map)
		munmap((void *)ix->map, ix->size);
	free(ix);
}

/* A path looked for: an entry of that name, or (prefix) any entry under
 * that directory ("dir/"). */
typedef struct query {
	const char *path;
	size_t len;
	int prefix;
	gitindex_hit *hit;
} query;

static int query_cmp(const void *a, const void *b)
{
	const query *x = a, *y = b;
	return path_cmp(x->path, x->len, y->path, y->len);
}

static int starts_with(const entry *e, const query *q)
{
	return e->plen >= q->len && !memcmp(e->path, q->path, q->len);
}

static int racy(const store_gitindex *ix, const entry *e);

static void fill_hit(const store_gitindex *ix, const entry *e, gitindex_hit *h)
{
	if (e->stage) {
		h->conflicted = 1;
		return;
	}
	h->present = 1;
	h->ctime_s = be32(e->p);
	h->ctime_ns = be32(e->p + 4);
	h->mtime_s = be32(e->p + 8);
	h->mtime_ns = be32(e->p + 12);
	h->ino = be32(e->p + 20);
	h->mode = be32(e->p + 24);
	h->size = be32(e->p + 36);
	git_oid_fromraw(&h->id, e->p + 40);
	h->racy = racy(ix, e);
}

/* One walk over the entries answers every query (sorted first). */
static void walk_queries(const store_gitindex *ix, query *q, size_t n)
{
	size_t k = 0, off = HEADER_LEN;
	entry e;

	qsort(q, n, sizeof *q, query_cmp);
	for (uint32_t i = 0; i < ix->count && k < n; i++) {
		int c = 1;
		next_entry(ix, &off, &e); /* checked when opened */
		while (k < n && (c = path_cmp(e.path, e.plen, q[k].path, q[k].len)) > 0) {
			if (q[k].prefix && starts_with(&e, &q[k]))
				q[k].hit->present = 1;
			k++;
		}
		if (k < n && c == 0 && !q[k].prefix)
			fill_hit(ix, &e, q[k].hit);
	}
}

int store__gitindex_find(store_gitindex *ix, const char *const *paths, size_t n,
			 gitindex_hit *hits)
{
	query *q = malloc((n ? n : 1) * sizeof *q);

	if (!q) {
		cd_err_set("out of memory");
		return -1;
	}
	memset(hits, 0, n * sizeof *hits);
	for (size_t i = 0; i < n; i++)
		q[i] = (query){ paths[i], strlen(paths[i]), 0, &hits[i] };
	walk_queries(ix, q, n);
	free(q);
	return 0;
}

/* The queries that find a file to be added where the index has a
 * directory ("a/b/" for a/b), or under a name the index has as a file
 * ("a" for a/b): git would find both in the new index.  libgit2 replaces
 * the one by the other; codicil leaves that to it.  They all answer into
 * clash; dirs holds the "a/b/" strings.  -1: out of memory. */
static int clash_queries(const gitindex_put *puts, size_t n, cd_buf *dirs, query *q, size_t *nq,
			 gitindex_hit *clash)
{
	size_t at = 0;

	cd_buf_reset(dirs);
	for (size_t i = 0; i < n; i++) {
		if (puts[i].entry) {
			cd_buf_puts(dirs, puts[i].path);
			cd_buf_putc(dirs, '/');
			cd_buf_putc(dirs, '\0');
		}
	}
	if (cd_buf_failed(dirs))
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *p = puts[i].path, *slash;
		if (!puts[i].entry)
			continue;
		q[(*nq)++] = (query){ dirs->data + at, strlen(p) + 1, 1, clash };
		at += strlen(p) + 2;
		for (slash = strchr(p, '/'); slash; slash = strchr(slash + 1, '/'))
			q[(*nq)++] = (query){ p, (size_t)(slash - p), 0, clash };
	}
	return 0;
}

/* How many queries clash_queries makes at most. */
static size_t clash_query_count(const gitindex_put *puts, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (puts[i].entry)
			for (const char *p = puts[i].path; *p; p++)
				k += *p == '/';
	for (size_t i = 0; i < n; i++)
		k += puts[i].entry != NULL;
	return k;
}

/* ---- rewriting ---- */

typedef struct writer {
	store *s;
	int fd;
	EVP_MD_CTX *sha;
	int failed;
	size_t used;
	unsigned char buf[1 << 16];
} writer;

static void write_all(writer *w, const void *data, size_t len)
{
	const char *p = data;

	while (!w->failed && len) {
		ssize_t k = write(w->fd, p, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			cd_err_set("cannot write .git/index.lock: %s", strerror(errno));
			w->failed = 1;
			return;
		}
		p += k;
		len -= (size_t)k;
	}
}

static void flush(writer *w)
{
	write_all(w, w->buf, w->used);
	w->used = 0;
}

/* Bytes of the new index, hashed as they go; small pieces are gathered. */
static void out(writer *w, const void *data, size_t len)
{
	if (!len)
		return;
	EVP_DigestUpdate(w->sha, data, len);
	if (w->used + len > sizeof w->buf)
		flush(w);
	if (len > sizeof w->buf) {
		write_all(w, data, len);
		return;
	}
	memcpy(w->buf + w->used, data, len);
	w->used += len;
}

/* 1 when the entry's file time is not older than the old index: a change
 * made in that moment may have left the stat data as recorded, so it
 * proves nothing (git's racy rule). */
static int racy(const store_gitindex *ix, const entry *e)
{
	uint32_t s = be32(e->p + 8), ns = be32(e->p + 12);

	return (int64_t)s > (int64_t)ix->st.st_mtim.tv_sec ||
	       ((int64_t)s == (int64_t)ix->st.st_mtim.tv_sec && (long)ns >= ix->st.st_mtim.tv_nsec);
}

/* 1 when the work-tree file still hashes to the entry's object. */
static int still_same(store *s, const entry *e)
{
	cd_buf full = CD_BUF_INIT;
	git_oid id, was;
	int same = 0;

	cd_buf_append(&full, s->workdir, strlen(s->workdir));
	cd_buf_append(&full, e->path, e->plen);
	git_oid_fromraw(&was, e->p + 40);
	if (!full.failed && git_odb_hashfile(&id, cd_buf_cstr(&full), GIT_OBJECT_BLOB) == 0)
		same = git_oid_equal(&id, &was);
	git_error_clear();
	cd_buf_clear(&full);
	return same;
}

/* A racily clean entry: copied as it is while its file still holds its
 * object, else smudged. */
static void copy_racy_entry(writer *w, const entry *e)
{
	unsigned char buf[ENTRY_FIXED + 2];
	size_t fixed = e->len < sizeof buf ? e->len : sizeof buf;

	if (still_same(w->s, e)) {
		out(w, e->p, e->len);
		return;
	}
	memcpy(buf, e->p, fixed);
	put_be32(buf + 36, 0); /* size 0: git compares the content next time */
	out(w, buf, fixed);
	out(w, e->p + fixed, e->len - fixed);
}

static void new_entry(writer *w, const gitindex_put *put)
{
	const git_index_entry *e = put->entry;
	size_t plen = strlen(put->path), len = (ENTRY_FIXED + plen + 8) & ~(size_t)7;
	unsigned char fixed[ENTRY_FIXED];
	static const unsigned char zeros[8];

	put_be32(fixed, (uint32_t)e->ctime.seconds);
	put_be32(fixed + 4, e->ctime.nanoseconds);
	put_be32(fixed + 8, (uint32_t)e->mtime.seconds);
	put_be32(fixed + 12, e->mtime.nanoseconds);
	put_be32(fixed + 16, e->dev);
	put_be32(fixed + 20, e->ino);
	put_be32(fixed + 24, e->mode);
	put_be32(fixed + 28, e->uid);
	put_be32(fixed + 32, e->gid);
	put_be32(fixed + 36, e->file_size);
	memcpy(fixed + 40, e->id.id, 20);
	fixed[60] = (unsigned char)((plen < FLAG_NAMEMASK ? plen : FLAG_NAMEMASK) >> 8);
	fixed[61] = (unsigned char)(plen < FLAG_NAMEMASK ? plen : FLAG_NAMEMASK);
	out(w, fixed, sizeof fixed);
	out(w, put->path, plen);
	out(w, zeros, len - ENTRY_FIXED - plen);
}

static int put_cmp(const void *a, const void *b)
{
	const gitindex_put *x = *(const gitindex_put *const *)a, *y = *(const gitindex_put *const *)b;
	return strcmp(x->path, y->path);
}

/* The entries with puts (sorted) merged in: each put replaces the entry of
 * its path or is added where the order puts it; a put without blob
 * removes it. */
static void write_entries(writer *w, const store_gitindex *ix, const gitindex_put *const *puts,
			  size_t n)
{
	size_t k = 0, off = HEADER_LEN, run = HEADER_LEN; /* unchanged entries not yet out */
	entry e;

	for (uint32_t i = 0; i < ix->count; i++) {
		size_t at = off;
		int c = 1;

		next_entry(ix, &off, &e);
		while (k < n && (c = path_cmp(e.path, e.plen, puts[k]->path,
					      strlen(puts[k]->path))) > 0) {
			out(w, ix->map + run, at - run);
			run = at;
			if (puts[k]->entry)
				new_entry(w, puts[k]);
			k++;
		}
		if (k < n && c == 0) { /* replaced or removed */
			out(w, ix->map + run, at - run);
			run = off;
			if (puts[k]->entry)
				new_entry(w, puts[k]);
			k++;
		} else if (racy(ix, &e)) {
			out(w, ix->map + run, at - run);
			run = off;
			copy_racy_entry(w, &e);
		}
	}
	if (ix->map)
		out(w, ix->map + run, off - run);
	for (; k < n; k++)
		if (puts[k]->entry)
			new_entry(w, puts[k]);
}

/* Resolve-undo records ("REUC") are carried over; the rest describe the
 * old entries and are left for git to rebuild. */
static void write_extensions(writer *w, const store_gitindex *ix)
{
	size_t off = ix->entries_end;

	while (off + 8 <= ix->size - CD_SHA1_RAW) {
		size_t len = 8 + (size_t)be32(ix->map + off + 4);
		if (!memcmp(ix->map + off, "REUC", 4))
			out(w, ix->map + off, len);
		off += len;
	}
}

static uint32_t new_count(const store_gitindex *ix, const gitindex_put *puts, size_t n,
			  const gitindex_hit *hits)
{
	uint32_t count = ix->count;

	for (size_t i = 0; i < n; i++) {
		if (puts[i].entry && !hits[i].present)
			count++;
		else if (!puts[i].entry && hits[i].present)
			count--;
	}
	return count;
}

/* The old checksum, unless git wrote none (index.skipHash: zeros). */
static int checksum_ok(const store_gitindex *ix)
{
	static const unsigned char zeros[CD_SHA1_RAW];
	unsigned char md[CD_SHA1_RAW];
	const unsigned char *sum;

	if (!ix->map)
		return 1; /* no index file yet */
	sum = ix->map + ix->size - CD_SHA1_RAW;
	if (!memcmp(sum, zeros, sizeof zeros))
		return 1;
	cd_sha1_raw(ix->map, ix->size - CD_SHA1_RAW, md);
	return !memcmp(md, sum, sizeof md);
}

/* What the index has at each put's path (hits), and whether it has a
 * file where one goes as a directory or the other way round: one walk. */
static int find_puts(const store_gitindex *ix, const gitindex_put *puts, size_t n,
		     gitindex_hit *hits, int *clash)
{
	size_t nq = 0, max = n + clash_query_count(puts, n);
	query *q = malloc((max ? max : 1) * sizeof *q);
	gitindex_hit clash_hit = { 0 };
	cd_buf dirs = CD_BUF_INIT;
	int rc = -1;

	memset(hits, 0, n * sizeof *hits);
	if (q && clash_queries(puts, n, &dirs, q, &nq, &clash_hit) == 0) {
		for (size_t i = 0; i < n; i++)
			q[nq++] = (query){ puts[i].path, strlen(puts[i].path), 0, &hits[i] };
		walk_queries(ix, q, nq);
		*clash = clash_hit.present || clash_hit.conflicted;
		for (size_t i = 0; i < n; i++)
			*clash |= hits[i].conflicted; /* libgit2 resolves conflict entries */
		rc = 0;
	} else {
		cd_err_set("out of memory");
	}
	cd_buf_clear(&dirs);
	free(q);
	return rc;
}

static int write_index(store *s, store_gitindex *ix, const gitindex_put *puts, size_t n,
		       int fd)
{
	const gitindex_put **sorted = malloc((n ? n : 1) * sizeof *sorted);
	gitindex_hit *hits = calloc(n ? n : 1, sizeof *hits);
	unsigned char header[HEADER_LEN], md[EVP_MAX_MD_SIZE];
	writer w = { .s = s, .fd = fd, .sha = EVP_MD_CTX_new() };
	int rc = -1, clash = 0;

	if (!sorted || !hits || !w.sha || EVP_DigestInit_ex(w.sha, EVP_sha1(), NULL) != 1) {
		cd_err_set("out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		sorted[i] = &puts[i];
	qsort(sorted, n, sizeof *sorted, put_cmp);
	if (find_puts(ix, puts, n, hits, &clash) < 0)
		goto out;
	if (clash) {
		rc = GITINDEX_UNSUPPORTED;
		goto out;
	}
	memcpy(header, "DIRC", 4);
	put_be32(header + 4, ix->version);
	put_be32(header + 8, new_count(ix, puts, n, hits));
	out(&w, header, sizeof header);
	write_entries(&w, ix, sorted, n);
	if (ix->map)
		write_extensions(&w, ix);
	EVP_DigestFinal_ex(w.sha, md, NULL);
	write_all(&w, w.buf, w.used);
	write_all(&w, md, CD_SHA1_RAW);
	rc = w.failed ? -1 : 0;
out:
	EVP_MD_CTX_free(w.sha);
	free(hits);
	free(sorted);
	return rc;
}

/* The index the uncommitted-work check read, when the file is still that
 * one (git replaces the index by renaming a new file over it, so another
 * inode, size or time means another index); else NULL. */
static store_gitindex *kept_if_current(store *s, const char *path)
{
	store_gitindex *ix = s->gix;
	struct stat st;

	s->gix = NULL;
	if (ix && ix->map && stat(path, &st) == 0 && st.st_ino == ix->st.st_ino &&
	    st.st_dev == ix->st.st_dev && st.st_size == ix->st.st_size &&
	    st.st_mtim.tv_sec == ix->st.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == ix->st.st_mtim.tv_nsec &&
	    st.st_ctim.tv_sec == ix->st.st_ctim.tv_sec &&
	    st.st_ctim.tv_nsec == ix->st.st_ctim.tv_nsec)
		return ix;
	store__gitindex_close(ix);
	return NULL;
}

void store__gitindex_keep(store *s, store_gitindex *ix)
{
	store__gitindex_close(s->gix);
	s->gix = ix;
}

int store__gitindex_update(store *s, const gitindex_put *puts, size_t n)
{
	store_gitindex *ix = NULL;
	cd_buf lock = CD_BUF_INIT, path = CD_BUF_INIT;
	int fd, rc;

	if (cd_buf_printf(&path, "%sindex", s->gitdir) < 0 ||
	    cd_buf_printf(&lock, "%sindex.lock", s->gitdir) < 0) {
		cd_err_set("out of memory");
		rc = -1;
		goto out;
	}
	fd = open(cd_buf_cstr(&lock), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		cd_err_set("cannot create .git/index.lock: %s", strerror(errno));
		rc = -1;
		goto out;
	}
	/* read under the lock: no git command changes the index meanwhile */
	if ((ix = kept_if_current(s, cd_buf_cstr(&path))))
		rc = 0;
	else
		rc = store__gitindex_open(s, &ix);
	if (rc == 0 && !checksum_ok(ix)) {
		cd_err_set(".git/index is corrupt (its checksum does not match)");
		rc = -1;
	}
	if (rc == 0)
		rc = write_index(s, ix, puts, n, fd);
	if (close(fd) < 0 && rc == 0) {
		cd_err_set("cannot write .git/index.lock: %s", strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(cd_buf_cstr(&lock), cd_buf_cstr(&path)) < 0) {
		cd_err_set("cannot replace .git/index: %s", strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(cd_buf_cstr(&lock));
out:
	store__gitindex_close(ix);
	cd_buf_clear(&lock);
	cd_buf_clear(&path);
	return rc;
}
