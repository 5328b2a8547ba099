; bwdc-tray: the Windows installer (Inno Setup 6.3 or later).
;
; Builds from the PyInstaller bundle that `python installer/build.py` leaves in dist\bwdc-tray\.
; The version comes from the command line, never from this file:
;
;   ISCC /DAppVersion=1.2.3 installer\windows\bwdc-tray.iss   ->  dist\bwdc-tray-1.2.3-setup.exe
;
; .github/workflows/windows.yml passes `python -c "import bwdc_tray; print(bwdc_tray.__version__)"`.
; Per user by default (no UAC prompt, %LOCALAPPDATA%\Programs\bwdc-tray); per machine on request
; (the wizard's first page, or /ALLUSERS on the command line: Program Files, elevated).
; installer/windows/README.md says how to build it and what the uninstaller asks.
; tests/installer/test_inno_script.py checks this file against the app (Run value, CLI commands).

#if Ver < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or later is needed (ArchitecturesAllowed=x64compatible)
#endif

#ifndef AppVersion
  ; A build without /DAppVersion is visibly not a release, rather than a stale number.
  #define AppVersion "0.0.0-dev"
#endif

#define AppName "bwdc-tray"
#define GuiExe "bwdc-tray-gui.exe"
#define RunnerExe "bwdc-tray-runner.exe"

[Setup]
; Fixed forever: Windows finds the installed copy (upgrade, uninstall) by this id.
AppId={{EE2BBF6C-422E-4C5B-843C-C8A9A12E0A46}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
AppComments=Bitwarden Directory Connector on a schedule: OS-native jobs, status, tray and CLI
; Per user by default; per machine is offered by the wizard and by /ALLUSERS (/CURRENTUSER
; forces per user). An upgrade keeps the mode of the installed copy (UsePreviousPrivileges).
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
; {autopf}: %LOCALAPPDATA%\Programs per user, Program Files per machine.
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; PySide6 (Qt 6) runs on Windows 10 and later.
MinVersion=10.0
; "Start at login" is the HKCU Run value, also in a per-machine install: starting at login is a
; per-user choice, and the app's own "Start at login" checkbox reads and writes HKCU (see
; bwdc_tray/autostart.py). A per-machine install run by an elevated admin writes that admin's
; HKCU; every other user turns it on from the app. HKLM\...\Run would start the tray for every
; user with no way for them to turn it off from the app, so it is deliberately not used.
UsedUserAreasWarning=no
; A running bwdc-tray (the tray is bwdc-tray-gui.exe, or bwdc-tray-runner.exe when started at
; login; a sync in progress is bwdc-tray-runner.exe) holds files that an upgrade replaces. Setup
; asks it to close through the Windows Restart Manager, listing it on the "Preparing to install"
; page first; a silent install closes it without asking. Never by killing processes by name:
; that would also hit other users' copies. The app does not register for restart, so Setup does
; not restart it; the "Launch bwdc-tray" box on the last page (and the next login) does.
CloseApplications=yes
RestartApplications=no
SetupIconFile=..\..\resources\icons\bwdc-tray.ico
UninstallDisplayIcon={app}\{#GuiExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
ShowLanguageDialog=auto
Compression=lzma2
SolidCompression=yes
OutputDir=..\..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
; Logs in %TEMP% (Setup Log *.txt) for whoever debugs a roll-out: always for Setup; for the
; uninstaller when started from Settings > Apps (elsewhere, pass /LOG=FILE).
SetupLogging=yes
UninstallLogging=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"

[CustomMessages]
en.StartAtLogin=Start bwdc-tray when I log in (tray icon, failure notifications)
fr.StartAtLogin=Démarrer bwdc-tray à l'ouverture de ma session (icône de notification, alertes d'échec)
en.StartGroup=Start at login:
fr.StartGroup=Démarrage à l'ouverture de session :
en.IconComment=Bitwarden Directory Connector schedules and status
fr.IconComment=Planification et état de Bitwarden Directory Connector
en.AppRunning=bwdc-tray is running (its tray icon, or a sync in progress). Choose Quit in its tray menu, or wait for the sync to end, then click Retry. Ignore goes on anyway: files still in use are then left behind.
fr.AppRunning=bwdc-tray est en cours d'exécution (son icône de notification, ou une synchronisation en cours). Choisissez Quitter dans son menu, ou attendez la fin de la synchronisation, puis cliquez sur Réessayer. Ignorer continue quand même : les fichiers encore utilisés resteront alors en place.
en.AskRemoveJobs=Remove bwdc-tray's scheduled sync tasks? Without bwdc-tray they would fail at every run.
fr.AskRemoveJobs=Supprimer les tâches de synchronisation planifiées de bwdc-tray ? Sans bwdc-tray, elles échoueraient à chaque exécution.
en.AskRemoveData=Also delete bwdc-tray's configuration, logs and saved secrets? bwdc's own data folders are kept.
fr.AskRemoveData=Supprimer aussi la configuration, les journaux et les secrets enregistrés de bwdc-tray ? Les dossiers de données de bwdc sont conservés.
en.CommandFailed=bwdc-tray could not finish this clean-up step (exit code %1):
fr.CommandFailed=bwdc-tray n'a pas pu terminer cette étape de nettoyage (code de sortie %1) :
en.CommandNotStarted=bwdc-tray could not be started for this clean-up step (%1):
fr.CommandNotStarted=bwdc-tray n'a pas pu être lancé pour cette étape de nettoyage (%1) :
en.JobsLeft=Scheduled tasks that are left can be removed in Task Scheduler, folder \bwdc-tray\.
fr.JobsLeft=Les tâches planifiées restantes peuvent être supprimées dans le Planificateur de tâches, dossier \bwdc-tray\.

[Tasks]
; Checked by default: the tray is how an admin sees failed syncs (icon, notifications); the syncs
; themselves run as scheduled tasks whether it runs or not. Unticking it, or the app's own
; checkbox later, turns it off. A silent install takes it too unless /TASKS="" or /MERGETASKS="!startatlogin".
Name: "startatlogin"; Description: "{cm:StartAtLogin}"; GroupDescription: "{cm:StartGroup}"

[InstallDelete]
; An upgrade starts from a clean bundle: a library the new version no longer ships must not stay
; in _internal\ to be loaded. Only the bundle's own folder; nothing of the user's lives in {app}.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The whole PyInstaller bundle: bwdc-tray.exe (CLI), bwdc-tray-gui.exe (tray and window),
; bwdc-tray-runner.exe (windowless CLI: what scheduled tasks and the login item start), _internal\.
Source: "..\..\dist\bwdc-tray\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; {autoprograms}: the user's Start menu per user, the common one per machine. Apps & features
; gets its uninstall entry from [Setup] without an icon here.
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; Comment: "{cm:IconComment}"

[Registry]
; Exactly the value bwdc_tray/autostart.py writes (RUN_KEY, RUN_VALUE), so the app's checkbox
; shows it ticked and can untick it. Quotes doubled: the value is "<app>\bwdc-tray-runner.exe" tray.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "bwdc-tray"; ValueData: """{app}\{#RunnerExe}"" tray"; Flags: uninsdeletevalue; Tasks: startatlogin
; The Application event log's source, for the system-log alerts (bwdc_tray/alerts/system_log.py):
; EventCreate.exe's message table shows each entry's text as it is. HKLM, so per-machine installs
; only; without it Event Viewer still shows the text, after a "description cannot be found" line.
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Services\EventLog\Application\bwdc-tray"; ValueType: expandsz; ValueName: "EventMessageFile"; ValueData: "%SystemRoot%\System32\EventCreate.exe"; Flags: uninsdeletekey; Check: IsAdminInstallMode
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Services\EventLog\Application\bwdc-tray"; ValueType: dword; ValueName: "TypesSupported"; ValueData: "7"; Check: IsAdminInstallMode

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent runasoriginaluser

; No [UninstallDelete]: bwdc-tray writes nothing inside {app} at run time (configuration, state
; and logs live in the user's folders and bwdc's data folders), and the uninstaller removes every
; file it installed. User data is removed only by `uninstall --data`, when asked (below).

[Code]
// Uninstall. Before any file is deleted (the commands need bwdc-tray-runner.exe):
//   1. scheduled tasks: "Remove bwdc-tray's scheduled sync tasks?" Yes by default; a silent
//      uninstall removes them (a task left behind would start a deleted program and fail at
//      every run). /KEEPJOBS on the uninstaller's command line keeps them.
//      -> bwdc-tray-runner.exe uninstall --jobs --yes [--all-users for a per-machine install]
//   2. data: "Also delete bwdc-tray's configuration, logs and saved secrets?" No by default
//      (the default button is No); a silent uninstall keeps them unless /DELETEDATA is given.
//      -> bwdc-tray-runner.exe uninstall --data --yes   (never bwdc's own data folders)
// A command that fails is reported in a message box (and in the uninstall log).

const
  RunKey = 'Software\Microsoft\Windows\CurrentVersion\Run';
  RunValue = 'bwdc-tray';
  JobsCommand = 'uninstall --jobs --yes';
  AllUsersOption = ' --all-users';
  DataCommand = 'uninstall --data --yes';

// True when the uninstaller's command line holds Switch (any case), e.g. /DELETEDATA.
function HasSwitch(const Switch: String): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), Switch) = 0 then
      Result := True;
end;

// A WQL string literal: backslashes and quotes escaped.
function WqlString(const S: String): String;
begin
  Result := S;
  StringChangeEx(Result, '\', '\\', True);
  StringChangeEx(Result, '''', '\''', True);
  Result := '''' + Result + '''';
end;

// How many of this installation's programs run now (full paths compared, so another copy of
// bwdc-tray elsewhere is not counted). 0 when WMI cannot tell.
function RunningFromApp(): Integer;
var
  Locator, Service, Found: Variant;
  App, Query: String;
begin
  Result := 0;
  App := ExpandConstant('{app}\');
  Query := 'SELECT ProcessId FROM Win32_Process WHERE ExecutablePath = ' +
    WqlString(App + 'bwdc-tray.exe') + ' OR ExecutablePath = ' +
    WqlString(App + '{#GuiExe}') + ' OR ExecutablePath = ' + WqlString(App + '{#RunnerExe}');
  try
    Locator := CreateOleObject('WbemScripting.SWbemLocator');
    Service := Locator.ConnectServer('.', 'root\CIMV2');
    Found := Service.ExecQuery(Query);
    Result := Found.Count;
  except
    Log('Could not list running programs: ' + GetExceptionMessage);
    Result := 0;
  end;
end;

// Asks, never kills: the tray quits from its menu, a sync ends by itself. Abort cancels the
// uninstall; Ignore (also what /SUPPRESSMSGBOXES answers) goes on.
function InitializeUninstall(): Boolean;
var
  Answer: Integer;
begin
  Result := True;
  while RunningFromApp() > 0 do
  begin
    Answer := SuppressibleMsgBox(CustomMessage('AppRunning'), mbError, MB_ABORTRETRYIGNORE, IDIGNORE);
    if Answer = IDABORT then
    begin
      Result := False;
      Exit;
    end;
    if Answer = IDIGNORE then
      Exit;
  end;
end;

procedure Report(const What, Command, Hint: String);
var
  Msg: String;
begin
  Msg := What + #13#10#13#10 + '"' + ExpandConstant('{app}\{#RunnerExe}') + '" ' + Command;
  if Hint <> '' then
    Msg := Msg + #13#10#13#10 + Hint;
  Log(Msg);
  SuppressibleMsgBox(Msg, mbError, MB_OK, IDOK);
end;

// Runs bwdc-tray-runner.exe with Command, hidden, and waits. False (reported) on failure.
function RunRunner(const Command, Hint: String): Boolean;
var
  ResultCode: Integer;
begin
  Log('Running bwdc-tray-runner.exe ' + Command);
  if not Exec(ExpandConstant('{app}\{#RunnerExe}'), Command, '', SW_HIDE, ewWaitUntilTerminated, ResultCode) then
  begin
    Report(FmtMessage(CustomMessage('CommandNotStarted'), [SysErrorMessage(ResultCode)]), Command, Hint);
    Result := False;
  end
  else if ResultCode <> 0 then
  begin
    Report(FmtMessage(CustomMessage('CommandFailed'), [IntToStr(ResultCode)]), Command, Hint);
    Result := False;
  end
  else
    Result := True;
end;

// The Run value, when it starts this installation's runner: the app's checkbox may have
// written it after Setup (then uninsdeletevalue does not know it). Only this user's HKCU.
procedure RemoveOurRunValue();
var
  Value: String;
begin
  if RegQueryStringValue(HKCU, RunKey, RunValue, Value) and
     (Pos(Lowercase(ExpandConstant('{app}\{#RunnerExe}')), Lowercase(Value)) > 0) then
    RegDeleteValue(HKCU, RunKey, RunValue);
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  RemoveJobs, RemoveData: Boolean;
  Command: String;
begin
  // usUninstall: the user confirmed, and no file is deleted yet.
  if CurUninstallStep <> usUninstall then
    Exit;
  RemoveJobs := not HasSwitch('/KEEPJOBS');
  RemoveData := HasSwitch('/DELETEDATA');
  if not UninstallSilent then
  begin
    RemoveJobs := SuppressibleMsgBox(CustomMessage('AskRemoveJobs'), mbConfirmation, MB_YESNO, IDYES) = IDYES;
    RemoveData := SuppressibleMsgBox(CustomMessage('AskRemoveData'), mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES;
  end;
  if RemoveJobs then
  begin
    Command := JobsCommand;
    if IsAdminInstallMode then
      Command := Command + AllUsersOption;
    RunRunner(Command, CustomMessage('JobsLeft'));
  end;
  if RemoveData then
    RunRunner(DataCommand, '');
  RemoveOurRunValue();
end;
