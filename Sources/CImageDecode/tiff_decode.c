// libtiff reading from memory, with its error and warning handlers bound to this one decode.
//
// libtiff reports errors through handlers that return (no longjmp), but by default they print to
// stderr from every thread at once; TIFFOpenOptions binds handlers and a memory ceiling to one
// TIFF handle, so each decode keeps its own first message. Colour conversion stays in Swift.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>
#include "cimagedecode.h"

/// The largest single allocation libtiff may make for one strip or tile: a hostile header can
/// declare a 4-gigabyte strip in a 1-kilobyte file.
#define CL_TIFF_MAX_ALLOC ((tmsize_t)512 * 1024 * 1024)
/// Directories counted for "N pages"; a hostile chain is cut off here.
#define CL_TIFF_MAX_PAGES 10000

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    cl_decoded *out;
} cl_tiff_source;

static tmsize_t cl_tiff_read(thandle_t handle, void *buffer, tmsize_t count) {
    cl_tiff_source *source = (cl_tiff_source *)handle;
    if (count <= 0 || source->offset >= source->size) return 0;
    size_t available = source->size - source->offset;
    size_t n = (size_t)count < available ? (size_t)count : available;
    memcpy(buffer, source->data + source->offset, n);
    source->offset += n;
    return (tmsize_t)n;
}

static tmsize_t cl_tiff_write(thandle_t handle, void *buffer, tmsize_t count) {
    (void)handle; (void)buffer; (void)count;
    return -1;
}

static toff_t cl_tiff_seek(thandle_t handle, toff_t offset, int whence) {
    cl_tiff_source *source = (cl_tiff_source *)handle;
    uint64_t base = whence == SEEK_CUR ? source->offset : whence == SEEK_END ? source->size : 0;
    uint64_t target = base + offset;
    if (target < base) return (toff_t)-1;   // overflow
    source->offset = target > source->size ? source->size : (size_t)target;
    return target;
}

static int cl_tiff_close(thandle_t handle) { (void)handle; return 0; }

static toff_t cl_tiff_size(thandle_t handle) { return ((cl_tiff_source *)handle)->size; }

static int cl_tiff_map(thandle_t handle, void **base, toff_t *size) {
    cl_tiff_source *source = (cl_tiff_source *)handle;
    *base = (void *)source->data;
    *size = source->size;
    return 1;
}

static void cl_tiff_unmap(thandle_t handle, void *base, toff_t size) { (void)handle; (void)base; (void)size; }

/// The first error message is kept; returning 1 keeps libtiff's global stderr handler quiet.
static int cl_tiff_on_error(TIFF *tif, void *user, const char *module, const char *format, va_list args) {
    (void)tif;
    cl_tiff_source *source = (cl_tiff_source *)user;
    if (source->out->message[0] == 0) {
        char text[180];
        vsnprintf(text, sizeof text, format, args);
        snprintf(source->out->message, sizeof source->out->message, "%s%s%s",
                 module ? module : "", module ? ": " : "", text);
    }
    return 1;
}

static int cl_tiff_on_warning(TIFF *tif, void *user, const char *module, const char *format, va_list args) {
    (void)tif; (void)module;
    cl_tiff_source *source = (cl_tiff_source *)user;
    // Unknown private tags (Photoshop's, InDesign's) are not worth a line on every cover.
    if (strstr(format, "unknown field") != NULL || strstr(format, "Unknown field") != NULL) return 1;
    if (source->out->warning_count == 0)
        vsnprintf(source->out->warning, sizeof source->out->warning, format, args);
    source->out->warning_count += 1;
    return 1;
}

/// 1 when a strip or tile of the current page lies (partly) past the end of the data.
static int cl_tiff_data_missing(TIFF *tif, size_t size) {
    uint32_t blocks = TIFFIsTiled(tif) ? TIFFNumberOfTiles(tif) : TIFFNumberOfStrips(tif);
    for (uint32_t i = 0; i < blocks; i++) {
        int error = 0;
        uint64_t offset = TIFFGetStrileOffsetWithErr(tif, i, &error);
        uint64_t count = TIFFGetStrileByteCountWithErr(tif, i, &error);
        if (error) return 1;
        if (offset > size || count > size - offset) return 1;
    }
    return 0;
}

/// The first IFD offset points past the data: the header survived, the rest did not.
static int cl_tiff_header_truncated(const uint8_t *data, size_t size) {
    if (size < 8) return 1;
    uint64_t offset = data[0] == 'I'
        ? (uint64_t)data[4] | (uint64_t)data[5] << 8 | (uint64_t)data[6] << 16 | (uint64_t)data[7] << 24
        : (uint64_t)data[7] | (uint64_t)data[6] << 8 | (uint64_t)data[5] << 16 | (uint64_t)data[4] << 24;
    return offset + 2 > size;
}

static void cl_tiff_copy_icc(TIFF *tif, cl_decoded *out) {
    uint32_t count = 0;
    void *profile = NULL;
    if (!TIFFGetField(tif, TIFFTAG_ICCPROFILE, &count, &profile) || profile == NULL || count == 0) return;
    out->icc = malloc(count);
    if (out->icc == NULL) return;
    memcpy(out->icc, profile, count);
    out->icc_size = count;
}

/// Reads every strip or tile of the page and interleaves the wanted samples into `out->pixels`:
/// `source_index[j]` is the stored sample that becomes output component j. Works for strips and
/// tiles, contiguous and planar-separate layouts alike (a strip is a tile as wide as the image).
static cl_status cl_tiff_read_samples(TIFF *tif, uint32_t width, uint32_t height, int samples_per_pixel,
                                      int separate, int bytes, const int *source_index, int components,
                                      cl_decoded *out) {
    int tiled = TIFFIsTiled(tif);
    uint32_t block_width = width, block_height = height;
    if (tiled) {
        TIFFGetField(tif, TIFFTAG_TILEWIDTH, &block_width);
        TIFFGetField(tif, TIFFTAG_TILELENGTH, &block_height);
    } else {
        TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &block_height);
        if (block_height > height) block_height = height;
    }
    if (block_width == 0 || block_height == 0) {
        snprintf(out->message, sizeof out->message, "a strip or tile of size 0");
        return CL_CORRUPT;
    }
    tmsize_t block_size = tiled ? TIFFTileSize(tif) : TIFFStripSize(tif);
    int block_samples = separate ? 1 : samples_per_pixel;
    uint64_t needed = (uint64_t)block_width * block_height * block_samples * bytes;
    if (block_size <= 0 || (uint64_t)block_size < needed || block_size > CL_TIFF_MAX_ALLOC) {
        if (out->message[0] == 0)
            snprintf(out->message, sizeof out->message, "strips or tiles of an impossible size");
        return CL_CORRUPT;
    }
    uint8_t *block = malloc((size_t)block_size);
    size_t pixel_bytes = (size_t)components * bytes;
    out->pixels = malloc((size_t)width * height * pixel_bytes + 1);
    if (block == NULL || out->pixels == NULL) {
        free(block);
        snprintf(out->message, sizeof out->message, "out of memory for %u×%u pixels", width, height);
        return CL_OUT_OF_MEMORY;
    }
    int passes = separate ? components : 1;
    for (int pass = 0; pass < passes; pass++) {
        uint16_t plane = separate ? (uint16_t)source_index[pass] : 0;
        for (uint32_t y0 = 0; y0 < height; y0 += block_height) {
            for (uint32_t x0 = 0; x0 < width; x0 += block_width) {
                tmsize_t got = tiled
                    ? TIFFReadEncodedTile(tif, TIFFComputeTile(tif, x0, y0, 0, plane), block, block_size)
                    : TIFFReadEncodedStrip(tif, TIFFComputeStrip(tif, y0, plane), block, block_size);
                if (got < 0) {
                    free(block);
                    if (out->message[0] == 0) snprintf(out->message, sizeof out->message, "a strip or tile cannot be decoded");
                    return CL_CORRUPT;
                }
                uint32_t rows = height - y0 < block_height ? height - y0 : block_height;
                uint32_t columns = width - x0 < block_width ? width - x0 : block_width;
                for (uint32_t r = 0; r < rows; r++) {
                    const uint8_t *source_row = block + ((size_t)r * block_width * block_samples) * bytes;
                    uint8_t *target_row = out->pixels + (((size_t)(y0 + r) * width + x0) * pixel_bytes);
                    for (uint32_t c = 0; c < columns; c++) {
                        const uint8_t *source = source_row + (size_t)c * block_samples * bytes;
                        uint8_t *target = target_row + (size_t)c * pixel_bytes;
                        if (separate) {
                            memcpy(target + (size_t)pass * bytes, source, bytes);
                        } else {
                            for (int j = 0; j < components; j++)
                                memcpy(target + (size_t)j * bytes, source + (size_t)source_index[j] * bytes, bytes);
                        }
                    }
                }
            }
        }
    }
    free(block);
    return CL_OK;
}

/// Palette indices (8-bit) looked up in the 16-bit colour map, keeping each entry's high byte as
/// PIL does; the result is 8-bit RGB.
static cl_status cl_tiff_apply_palette(TIFF *tif, uint32_t width, uint32_t height, cl_decoded *out) {
    uint16_t *red = NULL, *green = NULL, *blue = NULL;
    if (!TIFFGetField(tif, TIFFTAG_COLORMAP, &red, &green, &blue) || !red || !green || !blue) {
        snprintf(out->message, sizeof out->message, "a palette image without a colour map");
        return CL_CORRUPT;
    }
    size_t count = (size_t)width * height;
    uint8_t *rgb = malloc(count * 3 + 1);
    if (rgb == NULL) {
        snprintf(out->message, sizeof out->message, "out of memory for %u×%u pixels", width, height);
        return CL_OUT_OF_MEMORY;
    }
    for (size_t i = 0; i < count; i++) {
        uint8_t index = out->pixels[i];
        rgb[3 * i] = (uint8_t)(red[index] >> 8);
        rgb[3 * i + 1] = (uint8_t)(green[index] >> 8);
        rgb[3 * i + 2] = (uint8_t)(blue[index] >> 8);
    }
    free(out->pixels);
    out->pixels = rgb;
    out->components = 3;
    return CL_OK;
}

/// libtiff's general reader: anything it can turn into RGBA, as premultiplied 8-bit RGBA in the
/// stored row order (orientation is applied later, from the same tag, like every other format).
static cl_status cl_tiff_read_rgba(TIFF *tif, uint32_t width, uint32_t height, cl_decoded *out) {
    char reason[1024] = "";
    TIFFRGBAImage image;
    if (!TIFFRGBAImageOK(tif, reason) || !TIFFRGBAImageBegin(&image, tif, 0, reason)) {
        snprintf(out->message, sizeof out->message, "a TIFF layout libtiff cannot convert (%s)", reason);
        return CL_UNSUPPORTED;
    }
    image.req_orientation = image.orientation;   // keep stored order
    uint32_t *raster = malloc((size_t)width * height * sizeof(uint32_t) + 1);
    if (raster == NULL) {
        TIFFRGBAImageEnd(&image);
        snprintf(out->message, sizeof out->message, "out of memory for %u×%u pixels", width, height);
        return CL_OUT_OF_MEMORY;
    }
    int ok = TIFFRGBAImageGet(&image, raster, width, height);
    TIFFRGBAImageEnd(&image);
    if (!ok) {
        free(raster);
        if (out->message[0] == 0) snprintf(out->message, sizeof out->message, "libtiff could not read the image");
        return CL_CORRUPT;
    }
    uint8_t *rgba = (uint8_t *)raster;
    size_t count = (size_t)width * height;
    for (size_t i = 0; i < count; i++) {
        uint32_t p = raster[i];
        rgba[4 * i] = (uint8_t)TIFFGetR(p);
        rgba[4 * i + 1] = (uint8_t)TIFFGetG(p);
        rgba[4 * i + 2] = (uint8_t)TIFFGetB(p);
        rgba[4 * i + 3] = (uint8_t)TIFFGetA(p);
    }
    out->pixels = rgba;
    out->components = 4;
    out->sample_bytes = 1;
    out->alpha = 2;
    out->via_rgba = 1;
    return CL_OK;
}

static cl_status cl_tiff_decode_page(TIFF *tif, const uint8_t *data, size_t size, uint64_t max_pixels,
                                     cl_decoded *out) {
    uint32_t width = 0, height = 0;
    uint16_t bits = 1, samples = 1, photometric = 0, planar = PLANARCONFIG_CONTIG;
    uint16_t format = SAMPLEFORMAT_UINT, compression = COMPRESSION_NONE, inkset = INKSET_CMYK;
    TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width);
    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height);
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &samples);
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &format);
    TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &compression);
    TIFFGetFieldDefaulted(tif, TIFFTAG_INKSET, &inkset);
    int has_photometric = TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric);
    if (!has_photometric) photometric = samples >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
    out->width = width;
    out->height = height;
    out->bit_depth = bits;
    out->color_space = photometric;
    out->compression = compression;
    cl_tiff_copy_icc(tif, out);

    if (width == 0 || height == 0) {
        snprintf(out->message, sizeof out->message, "the image is %u×%u pixels", width, height);
        return CL_CORRUPT;
    }
    if ((uint64_t)width * (uint64_t)height > max_pixels) return CL_TOO_LARGE;
    if (cl_tiff_data_missing(tif, size)) return CL_TRUNCATED;
    if (format != SAMPLEFORMAT_UINT && format != SAMPLEFORMAT_VOID) {
        snprintf(out->message, sizeof out->message, "a TIFF with %s samples",
                 format == SAMPLEFORMAT_IEEEFP ? "floating-point" : "signed or complex");
        return CL_UNSUPPORTED;
    }
    // JPEG-in-TIFF stored as YCbCr: libjpeg converts to RGB while reading.
    if (compression == COMPRESSION_JPEG && photometric == PHOTOMETRIC_YCBCR) {
        TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
        photometric = PHOTOMETRIC_RGB;
    }

    int channels = 0;
    switch (photometric) {
    case PHOTOMETRIC_MINISWHITE:
    case PHOTOMETRIC_MINISBLACK: channels = 1; break;
    case PHOTOMETRIC_RGB: channels = 3; break;
    case PHOTOMETRIC_PALETTE: channels = bits == 8 ? 1 : 0; break;
    case PHOTOMETRIC_SEPARATED: channels = inkset == INKSET_CMYK ? 4 : 0; break;
    default: channels = 0;
    }
    if (channels == 0 || samples < channels || (bits != 8 && bits != 16) || (photometric == PHOTOMETRIC_SEPARATED && samples > 5))
        return cl_tiff_read_rgba(tif, width, height, out);

    int source_index[5] = {0, 1, 2, 3, 4};
    int components = channels;
    uint16_t extra_count = 0;
    uint16_t *extra = NULL;
    if (samples > channels && TIFFGetField(tif, TIFFTAG_EXTRASAMPLES, &extra_count, &extra) && extra_count > 0 && extra) {
        if (extra[0] == EXTRASAMPLE_ASSOCALPHA || extra[0] == EXTRASAMPLE_UNASSALPHA) {
            source_index[channels] = channels;
            components = channels + 1;
            out->alpha = extra[0] == EXTRASAMPLE_ASSOCALPHA ? 2 : 1;
        }
    }
    int bytes = bits / 8;
    out->sample_bytes = bytes;
    out->components = components;
    cl_status status = cl_tiff_read_samples(tif, width, height, samples, planar == PLANARCONFIG_SEPARATE,
                                            bytes, source_index, components, out);
    if (status == CL_OK && photometric == PHOTOMETRIC_PALETTE) {
        if (out->alpha) {
            snprintf(out->message, sizeof out->message, "a palette TIFF with an alpha sample");
            return CL_UNSUPPORTED;
        }
        status = cl_tiff_apply_palette(tif, width, height, out);
    }
    return status;
}

cl_status cl_tiff_decode(const uint8_t *data, size_t size, uint64_t max_pixels, cl_decoded *out) {
    memset(out, 0, sizeof *out);
    cl_tiff_source source = { data, size, 0, out };
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (options == NULL) {
        snprintf(out->message, sizeof out->message, "libtiff could not start (out of memory)");
        return CL_OUT_OF_MEMORY;
    }
    TIFFOpenOptionsSetMaxSingleMemAlloc(options, CL_TIFF_MAX_ALLOC);
    TIFFOpenOptionsSetErrorHandlerExtR(options, cl_tiff_on_error, &source);
    TIFFOpenOptionsSetWarningHandlerExtR(options, cl_tiff_on_warning, &source);
    // "m" off: reads go through cl_tiff_read, so nothing is read past `size` by a mapped pointer.
    TIFF *tif = TIFFClientOpenExt("tiff", "rm", (thandle_t)&source, cl_tiff_read, cl_tiff_write, cl_tiff_seek,
                                  cl_tiff_close, cl_tiff_size, cl_tiff_map, cl_tiff_unmap, options);
    TIFFOpenOptionsFree(options);
    if (tif == NULL) {
        if (cl_tiff_header_truncated(data, size)) return CL_TRUNCATED;
        if (out->message[0] == 0) snprintf(out->message, sizeof out->message, "libtiff could not read the header");
        return CL_CORRUPT;
    }
    int pages = 0;
    do { pages++; } while (pages < CL_TIFF_MAX_PAGES && TIFFReadDirectory(tif));
    out->page_count = pages;
    out->message[0] = 0;   // a damaged later page does not matter for the first
    if (!TIFFSetDirectory(tif, 0)) {
        TIFFClose(tif);
        if (out->message[0] == 0) snprintf(out->message, sizeof out->message, "the first page cannot be read again");
        return CL_CORRUPT;
    }
    cl_status status = cl_tiff_decode_page(tif, data, size, max_pixels, out);
    TIFFClose(tif);
    if (status != CL_OK) {
        free(out->pixels);
        out->pixels = NULL;
    }
    return status;
}
