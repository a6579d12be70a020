@echo off
rem haddns-agent launcher for Windows (docs/agent.md section 6): haddns-agent --config FILE,
rem haddns-agent detect --config FILE, haddns-agent keygen --out DIR. Runs haddns-agent.jar from
rem this folder with runtime\bin\java.exe from this folder, else %JAVA_HOME%\bin\java.exe, else
rem java.exe on PATH (Java 21 or newer; the jar refuses older ones).
setlocal
set "HERE=%~dp0"
set "JAVA=%HERE%runtime\bin\java.exe"
if not exist "%JAVA%" if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java.exe"
if not exist "%JAVA%" set "JAVA=java.exe"
rem No flag per Java release (unlike the controller's ./haddns): the agent uses neither native
rem access nor sun.misc.Unsafe, so Java 24+ prints no warning for it.
if not defined HADDNS_AGENT_JAVA_OPTS set "HADDNS_AGENT_JAVA_OPTS=-Xmx64m -XX:+UseSerialGC"
"%JAVA%" %HADDNS_AGENT_JAVA_OPTS% -jar "%HERE%haddns-agent.jar" %*
exit /b %ERRORLEVEL%
