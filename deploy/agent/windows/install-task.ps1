<#
.SYNOPSIS
  Installs the haddns agent as a Task Scheduler task (no WinSW needed): started at boot as SYSTEM,
  restarted when it fails, and started again within 5 minutes if it stopped for any reason.
  Run from an elevated PowerShell in the directory holding haddns-agent.jar,
  haddns-agent-task.xml, logback-file.xml and optionally a Java runtime under .\runtime.
.PARAMETER InstallDir
  Where the agent lives (default: C:\Program Files\haddns-agent).
.PARAMETER StartNow
  Start the task right away (only when agent.yaml exists).
#>
[CmdletBinding()]
param(
  [string]$InstallDir = "$env:ProgramFiles\haddns-agent",
  [switch]$StartNow
)
$ErrorActionPreference = 'Stop'

$dataDir = Join-Path $env:ProgramData 'haddns-agent'
New-Item -ItemType Directory -Force -Path $InstallDir, $dataDir, (Join-Path $dataDir 'logs') | Out-Null
Copy-Item -Force -Path (Join-Path $PSScriptRoot 'haddns-agent.jar') -Destination $InstallDir
# The launcher for `haddns-agent detect` / `keygen` by hand (the service itself runs java.exe).
Copy-Item -Force -Path (Join-Path $PSScriptRoot 'haddns-agent.cmd') -Destination $InstallDir
Copy-Item -Force -Path (Join-Path $PSScriptRoot 'logback-file.xml') -Destination $InstallDir
if (Test-Path (Join-Path $PSScriptRoot 'runtime')) {
  Copy-Item -Recurse -Force -Path (Join-Path $PSScriptRoot 'runtime') -Destination $InstallDir
}
$java = Join-Path $InstallDir 'runtime\bin\java.exe'
if (-not (Test-Path $java)) {
  $found = Get-Command java.exe -ErrorAction SilentlyContinue
  if (-not $found) { throw 'No Java runtime: put a JDK/JRE 21+ under .\runtime or on PATH.' }
  $java = $found.Source
}

# The private key and the state file: SYSTEM (the task's account) and Administrators only.
& icacls.exe $dataDir /inheritance:r /grant:r 'SYSTEM:(OI)(CI)F' 'Administrators:(OI)(CI)F' | Out-Null
if ($LASTEXITCODE -ne 0) { throw "icacls failed on $dataDir" }

if (-not (Test-Path (Join-Path $dataDir 'agent.key'))) {
  & $java -jar (Join-Path $InstallDir 'haddns-agent.jar') keygen --out $dataDir
  if ($LASTEXITCODE -ne 0) { throw 'keygen failed' }
  Write-Host "Give $dataDir\agent.pub to the controller (agents[].publicKeyFile)."
}

function ConvertTo-XmlText([string]$s) { [System.Security.SecurityElement]::Escape($s) }
$xml = Get-Content -Raw -Path (Join-Path $PSScriptRoot 'haddns-agent-task.xml')
$xml = $xml.Replace('__JAVA__', (ConvertTo-XmlText $java))
$xml = $xml.Replace('__INSTALL_DIR__', (ConvertTo-XmlText $InstallDir))
$xml = $xml.Replace('__DATA_DIR__', (ConvertTo-XmlText $dataDir))
Register-ScheduledTask -TaskName 'haddns-agent' -Xml $xml -Force | Out-Null
Write-Host 'Scheduled task haddns-agent registered (SYSTEM, at boot, restarted on failure).'

if (-not (Test-Path (Join-Path $dataDir 'agent.yaml'))) {
  Write-Warning "Write $dataDir\agent.yaml (docs/agent.md), then: Start-ScheduledTask -TaskName haddns-agent"
} elseif ($StartNow) {
  Start-ScheduledTask -TaskName 'haddns-agent'
  Write-Host "Started; logs in $dataDir\logs\agent.log"
} else {
  Write-Host 'Start it now with: Start-ScheduledTask -TaskName haddns-agent'
}
