#include "cencoded.h"

#include <stdlib.h>

void cl_encoded_free(cl_encoded *encoded) {
    if (encoded == NULL) return;
    free(encoded->bytes);
    encoded->bytes = NULL;
    encoded->size = 0;
}
