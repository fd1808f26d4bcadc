# The feature folders of src/app and the rule between them (doc/architecture.md):
# - base folders (config, live, stats, access, net, api) are shared: any folder may use them;
# - a feature folder (rtmp, http, hls, dash, dvr, cluster, ffmpeg) uses the base folders and the
#   layers below src/app, never another feature;
# - server wires everything and may use every folder.
# The configure step reads every #include <srs_app_*.hpp> and fails on one that breaks the
# rule, so a wrong dependency does not build. SRS_APP_FOLDER_DEBT lists the includes allowed
# to break it ("from/file>to/header"); empty since the HLS files moved behind the HTTP server's
# root handler, and it may only shrink (an entry that no longer occurs fails the configure step).

set(SRS_APP_BASE_FOLDERS config live stats access net api)
set(SRS_APP_FEATURE_FOLDERS rtmp http hls dash dvr cluster ffmpeg)
set(SRS_APP_TOP_FOLDERS server)

set(SRS_APP_FOLDER_DEBT)

set(SRS_APP_FOLDERS ${SRS_APP_BASE_FOLDERS} ${SRS_APP_FEATURE_FOLDERS} ${SRS_APP_TOP_FOLDERS})
set(SRS_APP_INCLUDE_DIRS "")
foreach(folder ${SRS_APP_FOLDERS})
    list(APPEND SRS_APP_INCLUDE_DIRS ${CMAKE_SOURCE_DIR}/src/app/${folder})
endforeach()

# Which folder holds each header.
file(GLOB _srs_app_all CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/app/*/*.hpp ${CMAKE_SOURCE_DIR}/src/app/*/*.cpp)
foreach(f ${_srs_app_all})
    get_filename_component(_dir ${f} DIRECTORY)
    get_filename_component(_folder ${_dir} NAME)
    if(NOT _folder IN_LIST SRS_APP_FOLDERS)
        message(FATAL_ERROR "src/app/${_folder}: a folder not declared in cmake/SrsAppFolders.cmake")
    endif()
    get_filename_component(_name ${f} NAME_WE)
    set(_srs_app_folder_of_${_name} ${_folder})
endforeach()

set(_srs_app_debt_seen "")
foreach(f ${_srs_app_all})
    get_filename_component(_dir ${f} DIRECTORY)
    get_filename_component(_from ${_dir} NAME)
    get_filename_component(_file ${f} NAME)
    if(_from IN_LIST SRS_APP_TOP_FOLDERS)
        continue()
    endif()
    file(STRINGS ${f} _incs REGEX "^#include <srs_app_[a-z0-9_]+\\.hpp>")
    foreach(inc ${_incs})
        string(REGEX REPLACE "^#include <(srs_app_[a-z0-9_]+)\\.hpp>.*" "\\1" _hdr "${inc}")
        set(_to ${_srs_app_folder_of_${_hdr}})
        if(NOT _to)
            message(FATAL_ERROR "src/app/${_from}/${_file}: includes ${_hdr}.hpp, which is in no folder")
        endif()
        if(_to STREQUAL _from OR _to IN_LIST SRS_APP_BASE_FOLDERS)
            continue()
        endif()
        set(_key "${_from}/${_file}>${_to}/${_hdr}")
        if(_key IN_LIST SRS_APP_FOLDER_DEBT)
            list(APPEND _srs_app_debt_seen ${_key})
            continue()
        endif()
        message(FATAL_ERROR "src/app/${_from}/${_file} includes ${_to}/${_hdr}.hpp: "
            "a ${_from} file may use only the base folders (${SRS_APP_BASE_FOLDERS}); "
            "go through an interface in a base folder (doc/architecture.md)")
    endforeach()
endforeach()
foreach(_key ${SRS_APP_FOLDER_DEBT})
    if(NOT _key IN_LIST _srs_app_debt_seen)
        message(FATAL_ERROR "cmake/SrsAppFolders.cmake: '${_key}' no longer occurs: remove it from SRS_APP_FOLDER_DEBT")
    endif()
endforeach()
