# The production build of the device binaries (perchd, perch): release, the Swift runtime linked statically (as the
# .deb ships it), and every Swift function in its own ELF section (`-function-sections`) so that the linker can lay
# out the code perchd runs together (Package.swift: `daemonLinkerSettings`, packaging/perchd.order).
# Used by packaging/build-deb.sh, scripts/daemon/rss-bench.sh and scripts/daemon/profile-order.sh.

# The `swift build` arguments of that build (append --scratch-path and --product).
PERCH_RELEASE_BUILD=(swift build -c release --static-swift-stdlib -Xswiftc -Xfrontend -Xswiftc -function-sections)
