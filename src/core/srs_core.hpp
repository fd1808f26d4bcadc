// The project's identity and the few definitions every file needs.
#pragma once

#include <cstddef>
#include <cstdint>

#define SRS_VERSION_MAJOR 1
#define SRS_VERSION_MINOR 0
#define SRS_VERSION_REVISION 0
#define SRS_VERSION_STRING "1.0.0"
#define SRS_SERVER_NAME "SRS"
#define SRS_SERVER_SIGNATURE SRS_SERVER_NAME "/" SRS_VERSION_STRING
#define SRS_LICENSE "MIT"
#define SRS_AUTHORS "The project authors"
#define SRS_URL "https://github.com/ossrs/srs"

// Disallow copy and assignment for classes that own resources.
#define SRS_DISALLOW_COPY(Class)  \
    Class(const Class&) = delete; \
    Class& operator=(const Class&) = delete
