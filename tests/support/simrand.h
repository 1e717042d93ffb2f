/* simrand.h — a small seeded random source for the simulations of the
 * benches (reproducible across machines, unlike rand()). */
#ifndef CODICIL_SIMRAND_H
#define CODICIL_SIMRAND_H

void sim_seed(unsigned long long seed);
double sim_uniform(void);   /* [0, 1) */
double sim_normal(void);    /* N(0, 1), Box-Muller */
double sim_sigmoid(double x);

#endif
