/* simrand.c — the benches' random source (simrand.h). */
#include "simrand.h"

#include <math.h>

static unsigned long long state = 1;

void sim_seed(unsigned long long seed)
{
	state = seed;
}

double sim_uniform(void)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(state >> 11) / 9007199254740992.0;
}

double sim_normal(void)
{
	double u = sim_uniform() + 1e-12, w = sim_uniform();
	return sqrt(-2 * log(u)) * cos(2 * M_PI * w);
}

double sim_sigmoid(double x)
{
	return x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x));
}
