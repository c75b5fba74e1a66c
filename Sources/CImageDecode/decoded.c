#include <stdlib.h>
#include "cimagedecode.h"

void cl_decoded_free(cl_decoded *decoded) {
    if (decoded == NULL) return;
    free(decoded->pixels);
    decoded->pixels = NULL;
    free(decoded->exif);
    decoded->exif = NULL;
    decoded->exif_size = 0;
    free(decoded->icc);
    decoded->icc = NULL;
    decoded->icc_size = 0;
}
