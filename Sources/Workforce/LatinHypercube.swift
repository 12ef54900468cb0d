import _CGSL

/// Latin hypercube sampling (McKay, Beckman and Conover 1979) for sweeps over parameter ranges,
/// drawn from GSL's MT19937 like everything random in Workforce.
public enum LatinHypercube {
    /// `count` points in the unit cube [0, 1)^`dimensions`, stratified: in every dimension, each
    /// of the `count` intervals [k/count, (k+1)/count) holds exactly one point.
    ///
    /// Dimension by dimension, a uniformly random order of the intervals (`gsl_ran_shuffle`) is
    /// drawn, then a uniform position inside each interval (`gsl_rng_uniform`), all from one
    /// generator seeded from `seed` alone (SplitMix64, see `generatorSeed`): the same arguments
    /// give the same points on every machine and thread count.
    ///
    /// - Parameters:
    ///   - count: the number of points, at least 1.
    ///   - dimensions: the number of coordinates of each point, at least 1.
    ///   - seed: any master seed, e.g. a run's.
    /// - Returns: `points[i][j]`, coordinate `j` of point `i`. Cost O(count × dimensions).
    public static func sample(count: Int, dimensions: Int, seed: UInt64) throws(EngineError) -> [[Double]] {
        precondition(count >= 1 && dimensions >= 1, "a Latin hypercube needs at least one point and one dimension")
        let stream = try RandomStream(seed: generatorSeed(seed))
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

    /// The GSL seed of the sampling generator: in `1 ... 2^32 − 1` (GSL keeps 32 bits, and 0
    /// would alias its default), from a SplitMix64 hash of `seed` salted so that it does not
    /// follow the engine's replication streams of the same master seed.
    static func generatorSeed(_ seed: UInt64) -> UInt32 {
        let salt: UInt64 = 0x4C48_5331  // "LHS1"
        return UInt32(1 + RandomStream.splitMix64(RandomStream.splitMix64(seed) ^ salt) % 0xFFFF_FFFF)
    }
}
