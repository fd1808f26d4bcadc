// A temporary directory for a test, removed with everything in it when the test ends.
#pragma once

#include <cstdlib>
#include <string>
#include <vector>

namespace srs_utest {

class SrsUtestTempDir {
public:
    // /tmp/srs_utest_<name>_XXXXXX.
    explicit SrsUtestTempDir(const std::string& name) {
        std::string t = "/tmp/srs_utest_" + name + "_XXXXXX";
        std::vector<char> tmpl(t.begin(), t.end());
        tmpl.push_back('\0');
        char* p = mkdtemp(tmpl.data());
        path_ = p ? p : "";
    }
    ~SrsUtestTempDir() {
        if (!path_.empty()) {
            std::string cmd = "rm -rf '" + path_ + "'";
            // A leftover temp dir is harmless.
            int r = system(cmd.c_str());
            (void)r;
        }
    }
    SrsUtestTempDir(const SrsUtestTempDir&) = delete;
    SrsUtestTempDir& operator=(const SrsUtestTempDir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

}  // namespace srs_utest
