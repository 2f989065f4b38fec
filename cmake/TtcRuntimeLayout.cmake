# Where the native libraries land, and how the project's own programs find them on Windows.

# Puts a library into TTC_RUNTIME_DIR itself (artifacts/runtimes/<rid>/native/, where the .NET resolver looks). The
# generator expression keeps multi-configuration generators (Visual Studio) from adding a Release/ or Debug/ folder.
# On Windows the file is <name>.dll, also with MinGW-w64, whose default would be lib<name>.dll.
function(ttc_place_library target)
  if(WIN32)
    set_target_properties(${target} PROPERTIES PREFIX "")
  endif()
  if(TTC_RUNTIME_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "$<1:${TTC_RUNTIME_DIR}>"
                                               RUNTIME_OUTPUT_DIRECTORY "$<1:${TTC_RUNTIME_DIR}>")
  endif()
endfunction()

# Windows loads a program's DLLs from the program's own folder (there is no rpath): after each build, copies the
# project libraries the program links (ttc, ttc_cuda; read from its link list, so call this after
# target_link_libraries) beside it. Call it before gtest_discover_tests, which runs the program after the build too.
# Elsewhere it does nothing.
function(ttc_copy_libraries_beside target)
  if(WIN32)
    get_target_property(links ${target} LINK_LIBRARIES)
    foreach(library IN ITEMS ttc ttc_cuda)
      if(library IN_LIST links)
        add_custom_command(TARGET ${target} POST_BUILD
                           COMMAND ${CMAKE_COMMAND} -E copy_if_different $<TARGET_FILE:${library}>
                                   $<TARGET_FILE_DIR:${target}>)
      endif()
    endforeach()
  endif()
endfunction()
