#ifndef COVERLENS_COLOUR_H
#define COVERLENS_COLOUR_H

/// The nearest of `k` Lab centres to each of `n` Lab colours, four colours at a time in the lanes
/// of an AVX2 vector (needs AVX2). The palette's k-means and its swatches ask this of thousands of
/// colours against the same few centres.
///
/// `colours` holds `n` colours and `centres` `k` centres, three doubles each (L*, a*, b*, as Swift's
/// `LabColour` lays them out). For each colour the distances `dl·dl + da·da + db·db` (`dl` the
/// colour's L* minus the centre's, each product rounded, added left to right: Swift's
/// `LabColour.squaredDistance`) are compared with the best so far in centre order, a centre
/// winning only when strictly nearer, from infinity — so the first of equal distances wins and a
/// NaN distance never does, as in `KMeans.nearest`. The index (0 when none wins) goes to
/// `assignments[i]`; the return value is 1 when any assignment differs from what was there.
long cl_nearest_lab(const double *colours, long n, const double *centres, long k, long *assignments);

#endif
