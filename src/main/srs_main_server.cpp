// The srs binary: parses flags, loads the config and runs the server.
#include <srs_core_error.hpp>
#include <srs_core_log.hpp>
#include <srs_core_st.hpp>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        printf("%s\n", SRS_VERSION_STRING);
        return 0;
    }
    srs_error_t err = srs_st_init();
    if (err) {
        srs_error("%s", srs_error_desc(err).c_str());
        return 1;
    }
    srs_trace("st_init success, use %s", srs_st_eventsys_name());
    return 0;
}
