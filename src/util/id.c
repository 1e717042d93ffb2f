#include "codicil/id.h"

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static const char crockford[] = "0123456789abcdefghjkmnpqrstvwxyz";

/* Monotonic within a thread, like ULIDs: an id made in the same
 * millisecond as the previous one takes the previous random part plus a
 * random step of up to 2^24, so ids made one after the other sort in the
 * order they were made (the cases of one reply keep the reply's order) and
 * still differ early enough for short prefixes to tell them apart.  When
 * the step would overflow the random part, the id takes the next
 * millisecond instead (about 1 run in 60 of 2,000 ids used to sort out of
 * order). */
void cd_id_new(char prefix, char out[CD_ID_SIZE])
{
	static _Thread_local uint64_t last_ms, last_rnd;
	const uint64_t rnd_mask = (1ULL << 40) - 1;
	struct timespec ts;
	uint64_t ms, rnd = 0;
	char *p = out;

	clock_gettime(CLOCK_REALTIME, &ts);
	ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	if (getrandom(&rnd, sizeof rnd, 0) != sizeof rnd)
		rnd = (uint64_t)ts.tv_nsec * 6364136223846793005ULL + (uint64_t)(uintptr_t)out;
	rnd &= rnd_mask;
	if (ms <= last_ms && last_rnd < rnd_mask - (1ULL << 24)) {
		ms = last_ms;
		rnd = last_rnd + 1 + (rnd & ((1ULL << 24) - 1));
	} else if (ms <= last_ms) {
		ms = last_ms + 1; /* the random part is used up: borrow the next millisecond */
	}
	last_ms = ms;
	last_rnd = rnd;
	*p++ = prefix;
	*p++ = '-';
	for (int i = 9; i >= 0; i--)
		*p++ = crockford[(ms >> (5 * i)) & 31];
	for (int i = 7; i >= 0; i--)
		*p++ = crockford[(rnd >> (5 * i)) & 31];
	*p = '\0';
}

int cd_id_valid(const char *s)
{
	size_t n = strlen(s);

	if (n != 20 || s[1] != '-' || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (size_t i = 2; i < n; i++)
		if (!strchr(crockford, s[i]))
			return 0;
	return 1;
}
