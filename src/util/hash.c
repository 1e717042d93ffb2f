#include "codicil/hash.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cd_sha256 {
	EVP_MD_CTX *ctx;
};

static void to_hex(const unsigned char *md, unsigned len, char out[CD_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";
	for (unsigned i = 0; i < len && i < 32; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[64] = '\0';
}

void cd_sha1_raw(const void *data, size_t len, unsigned char out[CD_SHA1_RAW])
{
	EVP_Digest(data, len, out, NULL, EVP_sha1(), NULL);
}

void cd_sha256_hex(const void *data, size_t len, char out[CD_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	to_hex(md, mdlen, out);
}

cd_sha256 *cd_sha256_new(void)
{
	static cd_sha256 fail;
	cd_sha256 *h = calloc(1, sizeof *h);

	if (!h)
		return &fail;
	h->ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL);
	return h;
}

void cd_sha256_part(cd_sha256 *h, const void *data, size_t len)
{
	unsigned char prefix[8];
	uint64_t n = len;

	if (!h->ctx)
		return;
	for (int i = 0; i < 8; i++)
		prefix[i] = (unsigned char)(n >> (56 - 8 * i));
	EVP_DigestUpdate(h->ctx, prefix, sizeof prefix);
	EVP_DigestUpdate(h->ctx, data, len);
}

void cd_sha256_bytes(cd_sha256 *h, const void *data, size_t len)
{
	if (h->ctx)
		EVP_DigestUpdate(h->ctx, data, len);
}

void cd_sha256_part_str(cd_sha256 *h, const char *s)
{
	cd_sha256_part(h, s ? s : "", s ? strlen(s) : 0);
}

void cd_sha256_finish(cd_sha256 *h, char out[CD_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	if (!h->ctx) {
		memset(out, '0', 64);
		out[64] = '\0';
		return;
	}
	EVP_DigestFinal_ex(h->ctx, md, &mdlen);
	EVP_MD_CTX_free(h->ctx);
	free(h);
	to_hex(md, mdlen, out);
}
