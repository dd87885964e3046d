// MARK: - Lane stores

extension Lanes {
    /// Stores eight bytes at `p`, which need not be aligned.
    ///
    /// One eight-byte store. (Storing the lanes one by one, hoping LLVM would merge them, gave
    /// byte-by-byte stores in the large loop nests and made MobileNet v2 20% slower.)
    @_transparent
    static func store(_ v: SIMD8<Int8>, to p: UnsafeMutablePointer<Int8>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Int8>.self)
    }
}
