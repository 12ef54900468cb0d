// Not API. The C surface of the GNU Scientific Library that Workforce uses.
//
// GSL names its generator types through C globals (`gsl_rng_mt19937` is a
// `const gsl_rng_type *` variable), which Swift 6 treats as shared mutable
// state; these inline functions hand them over as values instead.
#ifndef WORKFORCE_CGSL_SHIM_H
#define WORKFORCE_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_version.h>

/// The Mersenne Twister MT19937 (period 2^19937 - 1), GSL's default generator.
static inline const gsl_rng_type *workforce_rng_mt19937(void) { return gsl_rng_mt19937; }

/// Tausworthe's maximally equidistributed combined generator taus2 (L'Ecuyer 1996, period 2^88).
static inline const gsl_rng_type *workforce_rng_taus2(void) { return gsl_rng_taus2; }

/// The state of GSL's taus2 generator, as laid out in GSL's rng/taus.c (unchanged since GSL 1.0).
typedef struct { unsigned long int s1, s2, s3; } workforce_taus2_state;

/// Sets a taus2 generator's state from 96 bits directly (GSL's own gsl_rng_set keeps only 32
/// bits of a seed). Each word is raised past the generator's forbidden small values as
/// gsl_rng_set does (s1 > 1, s2 > 7, s3 > 15). Returns 0, changing nothing, if `r` is not a
/// taus2 generator of the expected state size.
static inline int workforce_taus2_set_state(gsl_rng *r, unsigned int s1, unsigned int s2, unsigned int s3) {
    if (r->type != gsl_rng_taus2 || r->type->size != sizeof(workforce_taus2_state)) return 0;
    workforce_taus2_state *state = (workforce_taus2_state *)r->state;
    state->s1 = s1 < 2 ? s1 + 2UL : s1;
    state->s2 = s2 < 8 ? s2 + 8UL : s2;
    state->s3 = s3 < 16 ? s3 + 16UL : s3;
    return 1;
}

/// Turns GSL's default error handler (which calls abort()) off; callers check return codes.
static inline void workforce_gsl_quiet(void) { gsl_set_error_handler_off(); }

/// The GSL version string, e.g. "2.7.1".
static inline const char *workforce_gsl_version(void) { return gsl_version; }

#endif
