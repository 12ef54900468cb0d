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

/// Turns GSL's default error handler (which calls abort()) off; callers check return codes.
static inline void workforce_gsl_quiet(void) { gsl_set_error_handler_off(); }

/// The GSL version string, e.g. "2.7.1".
static inline const char *workforce_gsl_version(void) { return gsl_version; }

#endif
