<#
.SYNOPSIS
  Installs the haddns agent as a Windows service (WinSW), or as a Task Scheduler task if WinSW is
  not available. Run from an elevated PowerShell in the directory holding haddns-agent.jar,
  haddns-agent.xml and (optionally) WinSW-x64.exe and a Java runtime under .\runtime.
.PARAMETER InstallDir
  Where the agent lives (default: C:\Program Files\haddns-agent).
.PARAMETER UseTaskScheduler
  Register a start-at-boot scheduled task instead of a service.
#>
[CmdletBinding()]
param(
  [string]$InstallDir = "$env:ProgramFiles\haddns-agent",
  [switch]$UseTaskScheduler
)
$ErrorActionPreference = 'Stop'

$dataDir = Join-Path $env:ProgramData 'haddns-agent'
New-Item -ItemType Directory -Force -Path $InstallDir, $dataDir, (Join-Path $dataDir 'logs') | Out-Null
Copy-Item -Force -Path (Join-Path $PSScriptRoot 'haddns-agent.jar') -Destination $InstallDir
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

$winsw = Join-Path $PSScriptRoot 'WinSW-x64.exe'
if (-not $UseTaskScheduler -and (Test-Path $winsw)) {
  Copy-Item -Force $winsw (Join-Path $InstallDir 'haddns-agent.exe')
  $xml = Get-Content (Join-Path $PSScriptRoot 'haddns-agent.xml') -Raw
  $xml = $xml.Replace('%BASE%\runtime\bin\java.exe', $java)
  Set-Content -Path (Join-Path $InstallDir 'haddns-agent.xml') -Value $xml -Encoding UTF8
  & (Join-Path $InstallDir 'haddns-agent.exe') install
  Write-Host 'Service haddns-agent installed; start it with: Start-Service haddns-agent'
} else {
  $args = "-Xmx64m -XX:+UseSerialGC -jar `"$InstallDir\haddns-agent.jar`" --config `"$dataDir\agent.yaml`""
  $action = New-ScheduledTaskAction -Execute $java -Argument $args -WorkingDirectory $dataDir
  $trigger = New-ScheduledTaskTrigger -AtStartup
  $settings = New-ScheduledTaskSettingsSet -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) `
    -ExecutionTimeLimit ([TimeSpan]::Zero) -StartWhenAvailable
  $principal = New-ScheduledTaskPrincipal -UserId 'NT AUTHORITY\LOCALSERVICE' -LogonType ServiceAccount
  Register-ScheduledTask -TaskName 'haddns-agent' -Action $action -Trigger $trigger -Settings $settings `
    -Principal $principal -Force | Out-Null
  Write-Host 'Scheduled task haddns-agent registered (runs at boot); start now: Start-ScheduledTask haddns-agent'
}
