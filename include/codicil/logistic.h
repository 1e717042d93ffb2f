/* logistic.h — a small logistic regression and the AUC of its scores:
 * P(y = 1 | x) = sigmoid(beta . x), fitted by Newton's method with an L2
 * penalty (lambda, not on beta[0] when x[0] is the constant 1) for a
 * handful of features.  Used to predict whether reading the model's
 * arguments will change a rater's verdict (aggregate). */
#ifndef CODICIL_LOGISTIC_H
#define CODICIL_LOGISTIC_H

#include <stddef.h>

#define LOGIT_MAX_FEATURES 12

/* x: n rows of k features (row-major), y: 0/1.  beta receives k values.
 * 0, or -1 when k is out of range or the fit did not converge. */
int logit_fit(const double *x, const int *y, size_t n, size_t k, double lambda, double *beta);
double logit_predict(const double *beta, const double *x, size_t k);
/* The area under the ROC curve of scores for labels y (ties count half);
 * NAN when one class is missing. */
double logit_auc(const double *score, const int *y, size_t n);

#endif
