<#
.SYNOPSIS
  Installs the haddns agent as a Windows service (WinSW), or, with -UseTaskScheduler or when
  WinSW-x64.exe is absent, as a Task Scheduler task through install-task.ps1. Run from an elevated PowerShell in the directory holding haddns-agent.jar,
  haddns-agent.xml and (optionally) WinSW-x64.exe and a Java runtime under .\runtime.
.PARAMETER InstallDir
  Where the agent lives (default: C:\Program Files\haddns-agent).
.PARAMETER UseTaskScheduler
  Register the scheduled task (install-task.ps1: SYSTEM, at boot, restart on failure) instead of
  a service.
#>
[CmdletBinding()]
param(
  [string]$InstallDir = "$env:ProgramFiles\haddns-agent",
  [switch]$UseTaskScheduler
)
$ErrorActionPreference = 'Stop'

$winsw = Join-Path $PSScriptRoot 'WinSW-x64.exe'
if ($UseTaskScheduler -or -not (Test-Path $winsw)) {
  # The Task Scheduler install (SYSTEM, at boot, restart on failure) does everything itself.
  & (Join-Path $PSScriptRoot 'install-task.ps1') -InstallDir $InstallDir
  return
}

$dataDir = Join-Path $env:ProgramData 'haddns-agent'
New-Item -ItemType Directory -Force -Path $InstallDir, $dataDir, (Join-Path $dataDir 'logs') | Out-Null
Copy-Item -Force -Path (Join-Path $PSScriptRoot 'haddns-agent.jar') -Destination $InstallDir
# The launcher for `haddns-agent detect` / `keygen` by hand (the service itself runs java.exe).
Copy-Item -Force -Path (Join-Path $PSScriptRoot 'haddns-agent.cmd') -Destination $InstallDir
if (Test-Path (Join-Path $PSScriptRoot 'runtime')) {
  Copy-Item -Recurse -Force -Path (Join-Path $PSScriptRoot 'runtime') -Destination $InstallDir
}
$java = Join-Path $InstallDir 'runtime\bin\java.exe'
if (-not (Test-Path $java)) {
  $found = Get-Command java.exe -ErrorAction SilentlyContinue
  if (-not $found) { throw 'No Java runtime: put a JDK/JRE 21+ under .\runtime or on PATH.' }
  $java = $found.Source
}

# The state file and the private key must be readable only by the service account and admins.
$acl = "icacls `"$dataDir`" /inheritance:r /grant:r `"SYSTEM:(OI)(CI)F`" `"Administrators:(OI)(CI)F`" `"NT AUTHORITY\LocalService:(OI)(CI)M`""
cmd /c $acl | Out-Null

if (-not (Test-Path (Join-Path $dataDir 'agent.key'))) {
  & $java -jar (Join-Path $InstallDir 'haddns-agent.jar') keygen --out $dataDir
  Write-Host "Give $dataDir\agent.pub to the controller (agents[].publicKeyFile)."
}
if (-not (Test-Path (Join-Path $dataDir 'agent.yaml'))) {
  Write-Warning "Write $dataDir\agent.yaml (see docs/agent.md) before starting the service."
}

if (-not $UseTaskScheduler) {
  Copy-Item -Force $winsw (Join-Path $InstallDir 'haddns-agent.exe')
  $xml = Get-Content (Join-Path $PSScriptRoot 'haddns-agent.xml') -Raw
  $xml = $xml.Replace('%BASE%\runtime\bin\java.exe', $java)
  Set-Content -Path (Join-Path $InstallDir 'haddns-agent.xml') -Value $xml -Encoding UTF8
  & (Join-Path $InstallDir 'haddns-agent.exe') install
  Write-Host 'Service haddns-agent installed; start it with: Start-Service haddns-agent'
}
