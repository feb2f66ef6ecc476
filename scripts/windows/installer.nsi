; The Windows installer of 普法活动规划与台账 (Pufa Planner), built by scripts/package-windows.sh
; with Debian's makensis. Per-user: no administrator rights (township laptops rarely give them),
; installed under %LOCALAPPDATA%\Programs, shortcuts in the Start menu and on the desktop,
; Chinese texts. The uninstaller removes the program and keeps the data
; (%LOCALAPPDATA%\cn.pufa-planner.app). Before installing it looks for the WebView2 runtime the
; window needs and, when it is missing, says what to install instead of failing later.
;
; makensis -DVERSION=0.1.0 -DSRC=<folder with the exe files> -DOUT=<setup.exe> -DICON=<icon.ico>

; A 64-bit installer (the program is x64 only): Windows says at once on a 32-bit system that
; it does not fit, and Wine's 64-bit build, which the tests use, runs it.
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user

!include "MUI2.nsh"
!include "LogicLib.nsh"

!define PRODUCT "普法活动规划与台账"
!define IDENTIFIER "cn.pufa-planner.app"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${IDENTIFIER}"
; The Evergreen WebView2 runtime's client id (Microsoft's documented registry check).
!define WEBVIEW2_ID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "${PRODUCT}"
OutFile "${OUT}"
InstallDir "$LOCALAPPDATA\Programs\pufa-planner"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${PRODUCT} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=2052 "FileDescription" "${PRODUCT} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "MIT"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\pufa-planner.exe"
!define MUI_FINISHPAGE_RUN_TEXT "打开${PRODUCT}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

; The WebView2 runtime's version, or "" when it is not installed (machine-wide in either
; registry view, or for this user only).
Function WebView2Version
  StrCpy $0 ""
  SetRegView 64
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKLM "SOFTWARE\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${EndIf}
  SetRegView lastused
  ${If} $0 == "0.0.0.0"
    StrCpy $0 ""
  ${EndIf}
FunctionEnd

Function .onInit
  Call WebView2Version
  ${If} $0 == ""
    ; Silent installs (/S) go on: the window explains the same when it is opened.
    MessageBox MB_YESNO|MB_ICONEXCLAMATION "这台电脑上没有找到 Microsoft Edge WebView2 运行时，本程序的窗口需要它。$\r$\n$\r$\nWindows 11 和已更新的 Windows 10 自带它；没有时请安装“WebView2 运行时”（常青版，免费）：在能上网的电脑上搜索“Microsoft Edge WebView2 Runtime 下载”，下载独立安装程序 MicrosoftEdgeWebView2RuntimeInstallerX64.exe，拷到这台电脑上运行即可（不需要管理员也可安装）。$\r$\n$\r$\n现在继续安装本程序吗？（可以先安装本程序，装好 WebView2 后再打开。）" /SD IDYES IDYES +2
    Abort
  ${EndIf}
FunctionEnd

Section "Install"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "${SRC}\pufa-planner.exe"
  File "${SRC}\pufa-cli.exe"
  File "${SRC}\WebView2Loader.dll"
  File "${SRC}\使用说明.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${PRODUCT}"
  CreateShortCut "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk" "$INSTDIR\pufa-planner.exe"
  ; A console in the program's folder, for pufa-cli (cmd waits for it and sees its exit code).
  CreateShortCut "$SMPROGRAMS\${PRODUCT}\命令行（pufa-cli）.lnk" "$SYSDIR\cmd.exe" '/k cd /d "$INSTDIR" && pufa-cli.exe --help'
  CreateShortCut "$SMPROGRAMS\${PRODUCT}\使用说明.lnk" "$INSTDIR\使用说明.txt"
  CreateShortCut "$SMPROGRAMS\${PRODUCT}\卸载${PRODUCT}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortCut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\pufa-planner.exe"

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "Pufa Planner 开发组"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\pufa-planner.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$INSTDIR\pufa-planner.exe"
  Delete "$INSTDIR\pufa-cli.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\使用说明.txt"
  Delete "$INSTDIR\uninstall.exe"
  ; Only if empty: a portable.txt or a 数据 folder someone put here stays.
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}\*.lnk"
  RMDir "$SMPROGRAMS\${PRODUCT}"
  Delete "$DESKTOP\${PRODUCT}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  ; The data (database, photos, backups, logs) stays for a reinstall or a newer version.
  DetailPrint "数据已保留：$LOCALAPPDATA\${IDENTIFIER}"
SectionEnd
