// Not API. The C surface of libxlsxwriter (Debian libxlsxwriter-dev, pkg-config xlsxwriter) that
// Workforce uses to write results.xlsx.
#ifndef WORKFORCE_CXLSXWRITER_SHIM_H
#define WORKFORCE_CXLSXWRITER_SHIM_H

#include <xlsxwriter.h>

#endif
