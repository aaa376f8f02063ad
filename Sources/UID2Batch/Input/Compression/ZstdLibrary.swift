#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CCompression

/// libzstd, loaded at run time: building needs no zstd headers, and a machine without the
/// library runs everything but `.zst` files, which it refuses with a clear message.
final class ZstdLibrary: @unchecked Sendable {
    typealias CreateStream = @convention(c) () -> OpaquePointer?
    typealias FreeStream = @convention(c) (OpaquePointer?) -> Int
    typealias InitDStream = @convention(c) (OpaquePointer?) -> Int
    typealias DecompressStream = @convention(c) (
        OpaquePointer?, UnsafeMutablePointer<ccompression_zstd_out_buffer>, UnsafeMutablePointer<ccompression_zstd_in_buffer>
    ) -> Int
    typealias IsError = @convention(c) (Int) -> UInt32
    typealias ErrorName = @convention(c) (Int) -> UnsafePointer<CChar>?
    typealias CompressBound = @convention(c) (Int) -> Int
    typealias Compress = @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeRawPointer?, Int, Int32) -> Int

    let createDStream: CreateStream
    let freeDStream: FreeStream
    let initDStream: InitDStream
    let decompressStream: DecompressStream
    let isError: IsError
    let errorName: ErrorName
    let compressBound: CompressBound
    let compress: Compress

    /// The names the library is looked for under.
    static let names = ["libzstd.so.1", "libzstd.so", "libzstd.1.dylib", "libzstd.dylib"]

    /// The loaded library, or `nil` when this machine has none.
    static let shared: ZstdLibrary? = {
        for name in names {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            if let library = ZstdLibrary(handle: handle) { return library }
            dlclose(handle)
        }
        return nil
    }()

    /// How to get the library.
    private static let installHint = "install it (Debian, Ubuntu: apt-get install libzstd1; RHEL: dnf install libzstd; Alpine: apk add zstd-libs)"
    /// Why a `.zst` input cannot be read here.
    static let missingReason = "is zstd-compressed and this machine has no libzstd (libzstd.so.1): \(installHint) or decompress the file first"
    /// Why a zstd output cannot be written here.
    static let missingForOutput = "zstd output needs libzstd (libzstd.so.1), which this machine lacks: \(installHint), or name the output .gz or pass --compress gzip"

    private init?(handle: UnsafeMutableRawPointer) {
        func symbol<Function>(_ name: String, _ type: Function.Type) -> Function? {
            dlsym(handle, name).map { unsafeBitCast($0, to: type) }
        }
        guard let createDStream = symbol("ZSTD_createDStream", CreateStream.self),
              let freeDStream = symbol("ZSTD_freeDStream", FreeStream.self),
              let initDStream = symbol("ZSTD_initDStream", InitDStream.self),
              let decompressStream = symbol("ZSTD_decompressStream", DecompressStream.self),
              let isError = symbol("ZSTD_isError", IsError.self),
              let errorName = symbol("ZSTD_getErrorName", ErrorName.self),
              let compressBound = symbol("ZSTD_compressBound", CompressBound.self),
              let compress = symbol("ZSTD_compress", Compress.self)
        else { return nil }
        self.createDStream = createDStream
        self.freeDStream = freeDStream
        self.initDStream = initDStream
        self.decompressStream = decompressStream
        self.isError = isError
        self.errorName = errorName
        self.compressBound = compressBound
        self.compress = compress
    }

    /// The library's name for the error `code` returns.
    func describe(_ code: Int) -> String {
        errorName(code).map { String(cString: $0) } ?? "zstd error"
    }
}
