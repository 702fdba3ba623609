; Inno Setup 6 script: per-user Windows installer for Broadsheet (no administrator rights).
; Built by `python packaging/build.py` on Windows, which passes the defines below to ISCC:
;   ISCC /DAppVersion=0.1.0 /DSourceDir=dist\broadsheet /DOutputDir=dist
;        /DIconFile=build\icons\broadsheet.ico packaging\windows\broadsheet.iss
; Installs the PyInstaller one-folder bundle to %LOCALAPPDATA%\Programs\Broadsheet, adds a
; Start-menu entry and an uninstaller (also listed in Settings > Apps). The bundle is built
; windowed, so no console window opens. The library lives in %LOCALAPPDATA%\Broadsheet
; (platformdirs) and is deliberately left in place on uninstall.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\broadsheet"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icons\broadsheet.ico"
#endif

[Setup]
; A fixed AppId keeps upgrades in place; never change it.
AppId={{6B0F3E52-8C1D-4B7A-9E57-3A2C9D41B8F0}
AppName=Broadsheet
AppVersion={#AppVersion}
AppVerName=Broadsheet {#AppVersion}
AppPublisher=The Broadsheet developers
AppComments=Offline news reader that groups rewrites of one event into stories
; Per-user install: with PrivilegesRequired=lowest, {autopf} is %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
DefaultDirName={autopf}\Broadsheet
DefaultGroupName=Broadsheet
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=broadsheet-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\broadsheet.exe
UninstallDisplayName=Broadsheet
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Broadsheet"; Filename: "{app}\broadsheet.exe"; Comment: "Read news offline"
Name: "{group}\Uninstall Broadsheet"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Broadsheet"; Filename: "{app}\broadsheet.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\broadsheet.exe"; Description: "{cm:LaunchProgram,Broadsheet}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the installer put there; the user's library folder is never touched.
Type: filesandordirs; Name: "{app}\_internal"
