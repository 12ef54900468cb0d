import _CGSL

/// Latin hypercube sampling (McKay, Beckman and Conover 1979) for sweeps over parameter ranges,
/// drawn from GSL's taus2 like everything random in Workforce.
public enum LatinHypercube {
    /// `count` points in the unit cube [0, 1)^`dimensions`, stratified: in every dimension, each
    /// of the `count` intervals [k/count, (k+1)/count) holds exactly one point.
    ///
    /// Dimension by dimension, a uniformly random order of the intervals (`gsl_ran_shuffle`) is
    /// drawn, then a uniform position inside each interval (`gsl_rng_uniform`), all from one
    /// generator keyed by `seed` alone (`StreamKey.Purpose.sampling`, apart from every
    /// replication's streams): the same arguments give the same points on every machine and
    /// thread count.
    ///
    /// - Parameters:
    ///   - count: the number of points, at least 1.
    ///   - dimensions: the number of coordinates of each point, at least 1.
    ///   - seed: any master seed, e.g. a run's.
    /// - Returns: `points[i][j]`, coordinate `j` of point `i`. Cost O(count × dimensions).
    public static func sample(count: Int, dimensions: Int, seed: UInt64) throws(EngineError) -> [[Double]] {
        precondition(count >= 1 && dimensions >= 1, "a Latin hypercube needs at least one point and one dimension")
        let stream = try RandomStream(key: key(seed))
        var points = [[Double]](repeating: [Double](repeating: 0, count: dimensions), count: count)
        var order = Array(0..<count)
        for j in 0..<dimensions {
            order.withUnsafeMutableBufferPointer { buffer in
                gsl_ran_shuffle(stream.rng, buffer.baseAddress, count, MemoryLayout<Int>.stride)
            }
            for i in 0..<count {
                let k = Double(order[i]), n = Double(count)
                // (k + u)/n with u < 1 can round up to (k + 1)/n; keep it inside its interval.
                points[i][j] = min((k + stream.uniform()) / n, ((k + 1) / n).nextDown)
            }
        }
        return points
    }

    /// The key of the sampling generator: the master seed's own key (not a replication's), for
    /// `StreamKey.Purpose.sampling`.
    static func key(_ seed: UInt64) -> StreamKey {
        StreamKey(StreamKey.mix(seed)).substream(.sampling)
    }
}
